import type { Automation, Recurrence } from './automation.js';

/** Automations in the club's partition. */
export interface AutomationStore {
  /** Store a new automation; 'exists' (and nothing written) when the id is taken. */
  create(automation: Automation): Promise<'created' | 'exists'>;
  get(clubId: string, automationId: string): Promise<Automation | undefined>;
  list(clubId: string): Promise<Automation[]>;
  /** Write it whole if it is still as the caller read it (its `updatedAt`); 'changed' otherwise. */
  replace(automation: Automation, expectedUpdatedAt: string): Promise<'replaced' | 'changed'>;
  /** Move `lastOccurrence` forward to `occurrence` (never back). */
  noteRun(clubId: string, automationId: string, occurrence: string): Promise<void>;
}

/** What a recurring schedule needs: which automation, when it recurs, and in which time zone. */
export interface RecurringSchedule {
  readonly clubId: string;
  readonly automationId: string;
  readonly recurrence: Recurrence;
  readonly timeZone: string;
}

/**
 * Recurring schedules that deliver `{ clubId, automationId, scheduledTime }` at each occurrence:
 * EventBridge Scheduler cron schedules on AWS, timers locally (re-armed from the table on start).
 */
export interface RecurringScheduler {
  /** Create or replace the automation's schedule. */
  arm(schedule: RecurringSchedule): Promise<void>;
  /** Remove it; nothing happens when there is none. */
  disarm(clubId: string, automationId: string): Promise<void>;
}
