/** The send protocol's timings and fault points: shared by the worker, its deps and the runtimes, with no imports. */

/** The steps a test may stop the worker at, as a crash would (tests/integration/exactly-once.test.ts). */
export type SendStep = 'before-claim' | 'after-claim' | 'after-ses' | 'after-mark';

/** Timings of the send protocol (docs/sending.md). */
export interface SendSettings {
  /** How long an unknown mail waits for SES's SEND event before it is taken as never sent. */
  readonly reconcileGraceMs: number;
  /** SES took the mail, if at all, within this long after the claim: the worker's timeout plus margin. */
  readonly sendWindowMs: number;
  /** In-process retries of a throttled SES call before the job goes back on the queue. */
  readonly throttleRetries: number;
  /** How long an account paused by SES waits before one worker probes again. */
  readonly probeIntervalMs: number;
  /** A club paused by its own rates holds mail this long, then drops it. */
  readonly holdPausedMs: number;
  /** How long an instance keeps a club's catalog, brand and themes between batches (0: per batch). */
  readonly catalogTtlMs: number;
}

export const DEFAULT_SEND_SETTINGS: SendSettings = {
  reconcileGraceMs: 15 * 60_000,
  sendWindowMs: 2 * 60_000,
  throttleRetries: 2,
  probeIntervalMs: 5 * 60_000,
  holdPausedMs: 24 * 3600_000,
  catalogTtlMs: 60_000,
};
