import { MAX_QUEUE_DELAY_SECONDS, type WorkQueue } from '../../core/ports.js';

/**
 * Keeps the jobs sent, with their delay, for a test to read or run: no consumer, no redelivery. The
 * local system's LocalWorkQueue runs the handlers; this is for use cases tested on their own.
 */
export class MemoryWorkQueue<T> implements WorkQueue<T> {
  readonly sent: Array<{ readonly job: T; readonly delaySeconds: number }> = [];

  async send(jobs: readonly T[], options: { delaySeconds?: number } = {}): Promise<void> {
    const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, options.delaySeconds ?? 0));
    for (const job of jobs) this.sent.push({ job: structuredClone(job), delaySeconds });
  }

  /** The jobs sent so far, and forget them. */
  take(): T[] {
    return this.sent.splice(0).map((s) => s.job);
  }
}
