/**
 * Keeps one sender under a rate: consecutive sends at least 1/rate seconds apart. With the send
 * queue's maxConcurrency C and each instance pacing at R/C, the whole account stays under R per
 * second without a shared counter (docs/decisions/0009-exactly-once-sending.md says why not a
 * token bucket in DynamoDB: that costs a write per mail).
 */
export class Pacer {
  private next = 0;
  private readonly intervalMs: number;

  constructor(
    ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`send rate must be above 0, got ${ratePerSecond}`);
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Resolves when the caller may send; callers are served in the order they asked. */
  async take(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.next);
    this.next = at + this.intervalMs;
    if (at > now) await this.sleep(at - now);
  }
}

/** No pacing, for tools that measure the rest of the path. */
export const UNPACED = { take: async (): Promise<void> => {} };
