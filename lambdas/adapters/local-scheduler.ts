import type { StartCampaignJob } from '../core/jobs.js';
import type { Clock, Logger, Scheduler } from '../core/ports.js';

export type StartHandler = (job: StartCampaignJob) => Promise<unknown>;

/**
 * An in-process stand-in for EventBridge Scheduler: a timer per campaign that calls the same
 * plan-campaign handler with the same payload. Timers live in memory; the local runtime re-arms
 * scheduled campaigns from the table when it starts.
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
    const delay = Math.max(0, at.getTime() - this.clock.now().getTime());
    const key = `${clubId}/${campaignId}`;
    const timer = setTimeout(() => {
      this.timers.delete(key);
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
    }, delay);
    this.timers.set(key, timer);
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
