import { ConfigError } from './errors.js';

/**
 * Keeps one sender under a rate: consecutive sends at least 1/rate seconds apart. With the send
 * queue's maxConcurrency C and each instance pacing at R/C, the whole account stays under R per
 * second without a shared counter (docs/decisions/0009-exactly-once-sending.md says why not a
 * token bucket in DynamoDB: that costs a write per mail).
 */
export class Pacer {
  private turn: Promise<void> = Promise.resolve();
  private last = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;

  constructor(
    ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(ratePerSecond > 0)) throw new ConfigError(`send rate must be above 0, got ${ratePerSecond}`);
    this.intervalMs = 1000 / ratePerSecond;
  }

  /**
   * Resolves when the caller may send. Callers take turns in the order they asked, and each turn
   * starts at least 1/rate after the previous one actually started (a late timer never lets the
   * next caller catch up), so no one-second window holds more than `rate` sends.
   */
  take(): Promise<void> {
    const mine = this.turn.then(async () => {
      const wait = this.last + this.intervalMs - this.now();
      if (wait > 0) await this.sleep(wait);
      this.last = this.now();
    });
    this.turn = mine;
    return mine;
  }
}

/** No pacing, for tools that measure the rest of the path. */
export const UNPACED = { take: async (): Promise<void> => {} };
