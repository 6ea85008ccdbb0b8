import { latestOccurrence, nextOccurrence, type RunAutomationJob } from '../core/automation.js';
import type { RecurringSchedule, RecurringScheduler } from '../core/automation-ports.js';
import type { StartCampaignJob } from '../core/jobs.js';
import type { Clock, Logger, Scheduler } from '../core/ports.js';
import { DAY_MS } from '../core/units.js';

export type StartHandler = (job: StartCampaignJob) => Promise<unknown>;
export type RunHandler = (job: RunAutomationJob) => Promise<unknown>;

/** The longest single timer step: under 24 days, well inside Node's 2^31-1 ms limit. */
export const MAX_TIMER_STEP_MS = 20 * DAY_MS;

interface Armed {
  readonly timer: NodeJS.Timeout;
  readonly at: Date;
  readonly fire: () => void;
}

/**
 * An in-process stand-in for EventBridge Scheduler: a timer per campaign that calls the same
 * plan-campaign handler with the same payload, and a timer per recurring automation that delivers
 * `{ clubId, automationId, scheduledTime }` at each occurrence and arms the next. Timers live in
 * memory; the local runtime re-arms scheduled campaigns and active automations from the table when
 * it starts, and runs an automation's missed occurrence once (lambdas/runtime/local-resume.ts).
 */
export class LocalScheduler implements Scheduler, RecurringScheduler {
  private readonly armed = new Map<string, Armed>();
  private target: StartHandler | undefined;
  private recurringTarget: RunHandler | undefined;
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  setTarget(target: StartHandler): void {
    this.target = target;
  }

  setRecurringTarget(target: RunHandler): void {
    this.recurringTarget = target;
  }

  async schedule(clubId: string, campaignId: string, at: Date): Promise<void> {
    await this.cancel(clubId, campaignId);
    const job = { clubId, campaignId };
    this.armTimer(`${clubId}/${campaignId}`, at, () => this.fire('campaign start', job, this.target, job));
  }

  async cancel(clubId: string, campaignId: string): Promise<void> {
    this.clear(`${clubId}/${campaignId}`);
  }

  async arm(schedule: RecurringSchedule): Promise<void> {
    this.armRecurring(schedule, this.clock.now());
  }

  async disarm(clubId: string, automationId: string): Promise<void> {
    this.clear(recurringKey(clubId, automationId));
  }

  /**
   * The next occurrence after `after`. When its timer fires late (the machine slept, or a test moved
   * the clock), only the latest occurrence that has come runs, once, as a missed run does on AWS.
   */
  private armRecurring(schedule: RecurringSchedule, after: Date): void {
    const { recurrence, timeZone, clubId, automationId } = schedule;
    const next = nextOccurrence(recurrence, timeZone, after);
    this.armTimer(recurringKey(clubId, automationId), next, () => {
      const now = this.clock.now();
      const occurrence = latestOccurrence(recurrence, timeZone, now, new Date(next.getTime() - 1)) ?? next;
      const job: RunAutomationJob = { clubId, automationId, scheduledTime: occurrence.toISOString() };
      this.fire('automation run', job, this.recurringTarget, job);
      this.armRecurring(schedule, new Date(Math.max(now.getTime(), occurrence.getTime())));
    });
  }

  /**
   * Node fires a timer longer than 2^31-1 ms (24.8 days) at once, so a long wait is armed in steps of
   * at most MAX_TIMER_STEP_MS, and each step looks at the clock again: the start never comes before `at`,
   * whatever the timer or the (test) clock did meanwhile.
   */
  private armTimer(key: string, at: Date, fire: () => void): void {
    this.clear(key);
    const wait = at.getTime() - this.clock.now().getTime();
    const timer = setTimeout(
      () => {
        if (this.armed.get(key)?.timer !== timer) return;
        if (this.clock.now().getTime() < at.getTime()) {
          this.armTimer(key, at, fire);
          return;
        }
        this.armed.delete(key);
        fire();
      },
      Math.min(Math.max(0, wait), MAX_TIMER_STEP_MS),
    );
    this.armed.set(key, { timer, at, fire });
  }

  private clear(key: string): void {
    const entry = this.armed.get(key);
    if (entry) clearTimeout(entry.timer);
    this.armed.delete(key);
  }

  private fire<J extends object>(
    what: string,
    fields: J,
    target: ((job: J) => Promise<unknown>) | undefined,
    job: J,
  ): void {
    if (!target) return;
    const run = target(job)
      .catch((error: unknown) => {
        this.log.error(`scheduled ${what} failed`, {
          ...fields,
          error: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /**
   * Fire every timer whose time has come by the clock. Timers wake in real time; a test that moves
   * its clock forward by a day calls this instead of waiting one.
   */
  poll(): number {
    const now = this.clock.now().getTime();
    const due = [...this.armed].filter(([, entry]) => entry.at.getTime() <= now);
    for (const [key, entry] of due) {
      this.clear(key);
      entry.fire();
    }
    return due.length;
  }

  /** When the automation's next run is armed, if it is. */
  nextRun(clubId: string, automationId: string): Date | undefined {
    return this.armed.get(recurringKey(clubId, automationId))?.at;
  }

  get pending(): number {
    return this.armed.size;
  }

  /** Wait for starts that already fired. */
  async settle(): Promise<void> {
    await Promise.all([...this.running]);
  }

  stop(): void {
    for (const entry of this.armed.values()) clearTimeout(entry.timer);
    this.armed.clear();
  }
}

function recurringKey(clubId: string, automationId: string): string {
  return `automation:${clubId}/${automationId}`;
}
