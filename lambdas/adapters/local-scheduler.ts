import type { StartCampaignJob } from '../core/jobs.js';
import type { Clock, Logger, Scheduler } from '../core/ports.js';
import { DAY_MS } from '../core/units.js';

export type StartHandler = (job: StartCampaignJob) => Promise<unknown>;

/** The longest single timer step: under 24 days, well inside Node's 2^31-1 ms limit. */
export const MAX_TIMER_STEP_MS = 20 * DAY_MS;

/**
 * An in-process stand-in for EventBridge Scheduler: a timer per campaign that calls the same
 * plan-campaign handler with the same payload. Timers live in memory; the local runtime re-arms
 * scheduled campaigns from the table when it starts (lambdas/runtime/local-resume.ts).
 */
export class LocalScheduler implements Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private target: StartHandler | undefined;
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  setTarget(target: StartHandler): void {
    this.target = target;
  }

  async schedule(clubId: string, campaignId: string, at: Date): Promise<void> {
    await this.cancel(clubId, campaignId);
    this.arm(`${clubId}/${campaignId}`, { clubId, campaignId }, at);
  }

  /**
   * Node fires a timer longer than 2^31-1 ms (24.8 days) at once, so a long wait is armed in steps of
   * at most MAX_TIMER_STEP_MS, and each step looks at the clock again: the start never comes before `at`,
   * whatever the timer or the (test) clock did meanwhile.
   */
  private arm(key: string, job: StartCampaignJob, at: Date): void {
    const wait = at.getTime() - this.clock.now().getTime();
    const timer = setTimeout(
      () => {
        if (this.timers.get(key) !== timer) return;
        if (this.clock.now().getTime() < at.getTime()) {
          this.arm(key, job, at);
          return;
        }
        this.timers.delete(key);
        this.fire(job);
      },
      Math.min(Math.max(0, wait), MAX_TIMER_STEP_MS),
    );
    this.timers.set(key, timer);
  }

  private fire({ clubId, campaignId }: StartCampaignJob): void {
    const target = this.target;
    if (!target) return;
    const run = target({ clubId, campaignId })
      .catch((error: unknown) => {
        this.log.error('scheduled campaign start failed', {
          clubId,
          campaignId,
          error: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  async cancel(clubId: string, campaignId: string): Promise<void> {
    const key = `${clubId}/${campaignId}`;
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Wait for starts that already fired. */
  async settle(): Promise<void> {
    await Promise.all([...this.running]);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
