import { z } from 'zod';
import { Campaign, Id } from './model.js';
import { isPersonalOccasion } from './occasions.js';
import { atLocalTime, ClockTime, localDateOf, TimeZone } from './quiet-hours.js';
import { DAY_MS } from './units.js';

/**
 * Recurring automations (docs/decisions/0040-recurring-automations.md): a campaign blueprint and a
 * recurrence in the club's time zone. Each occurrence becomes one run, a campaign of its own with its
 * own report, whose id is the automation's id and the occurrence: the run is created with a
 * conditional put, so an occurrence fired twice (a retry, a restart) runs once.
 */

export const Weekday = z.enum(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);
export type Weekday = z.infer<typeof Weekday>;

/** Every day at a local time, or on some weekdays at a local time, in the automation's time zone. */
export const Recurrence = z.discriminatedUnion('every', [
  z.object({ every: z.literal('day'), at: ClockTime }).strict(),
  z
    .object({
      every: z.literal('week'),
      on: z
        .array(Weekday)
        .min(1)
        .max(7)
        .refine((days) => new Set(days).size === days.length, 'name each weekday once'),
      at: ClockTime,
    })
    .strict(),
]);
export type Recurrence = z.infer<typeof Recurrence>;

export const AutomationStatus = z.enum(['awaiting-approval', 'active', 'paused', 'stopped']);
export type AutomationStatus = z.infer<typeof AutomationStatus>;

/** What each run's campaign is made of: a campaign without its times, status and approval. */
export const CampaignBlueprint = Campaign.pick({
  name: true,
  theme: true,
  themeId: true,
  offerPool: true,
  offersPerMail: true,
  relevanceFloor: true,
  priority: true,
  holdoutShare: true,
  brandFitOverride: true,
  occasion: true,
  template: true,
});
export type CampaignBlueprint = z.infer<typeof CampaignBlueprint>;

/** An automation's id leaves room in a 64-character campaign id for the occurrence (runIdFor). */
export const AutomationId = Id.and(z.string().max(40));

export const Automation = z.object({
  clubId: Id,
  automationId: AutomationId,
  name: z.string().min(1).max(120),
  recurrence: Recurrence,
  /** The time zone the recurrence is read in: the club's. */
  timeZone: TimeZone,
  /** A personal-occasion automation: the time each member gets the mail on their day, in their own time zone. */
  memberTime: ClockTime.optional(),
  campaign: CampaignBlueprint,
  status: AutomationStatus,
  /** Occurrences before this instant never run: when it was last activated or resumed. */
  since: z.iso.datetime(),
  /** The latest occurrence that ran. */
  lastOccurrence: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  createdBy: z.string().min(1).optional(),
  /** The approver who activated it, where the club requires approval. */
  approvedBy: z.string().min(1).optional(),
});
export type Automation = z.infer<typeof Automation>;

/** The payload a recurring schedule delivers: which automation, and the occurrence it fires for. */
export const RunAutomationJob = z.object({
  clubId: Id,
  automationId: AutomationId,
  /** EventBridge Scheduler's `<aws.scheduler.scheduled-time>`; the local scheduler sends the same. */
  scheduledTime: z.iso.datetime({ offset: true }),
});
export type RunAutomationJob = z.infer<typeof RunAutomationJob>;

/** Each member's time on their day when the automation does not name one: the morning. */
export const DEFAULT_MEMBER_TIME = '08:00';

const WEEKDAY_NUMBER: Readonly<Record<Weekday, number>> = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };

/** Whether the blueprint mails members on their own day (birthday, anniversary, name day). */
export function isPersonalBlueprint(blueprint: Pick<CampaignBlueprint, 'occasion'>): boolean {
  const id = blueprint.occasion?.id;
  return id !== undefined && isPersonalOccasion(id);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function occursOn(recurrence: Recurrence, date: string): boolean {
  if (recurrence.every === 'day') return true;
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return recurrence.on.some((d) => WEEKDAY_NUMBER[d] === day);
}

/** The occurrences of the local days from `fromDay` days to `toDay` days around `at`'s local date, in order. */
function occurrencesAround(recurrence: Recurrence, timeZone: string, at: Date, fromDay: number, toDay: number): Date[] {
  const today = localDateOf(at, timeZone);
  const found: Date[] = [];
  for (let d = fromDay; d <= toDay; d++) {
    const date = addDays(today, d);
    if (occursOn(recurrence, date)) found.push(atLocalTime(date, recurrence.at, timeZone));
  }
  return found;
}

/** The first occurrence strictly after `after`. */
export function nextOccurrence(recurrence: Recurrence, timeZone: string, after: Date): Date {
  const next = occurrencesAround(recurrence, timeZone, after, -1, 8).find((t) => t.getTime() > after.getTime());
  // A week ahead always holds one: every recurrence names at least one weekday.
  return next ?? new Date(after.getTime() + 7 * DAY_MS);
}

/** The latest occurrence at or before `at`, if it is after `after` (a missed run); else undefined. */
export function latestOccurrence(recurrence: Recurrence, timeZone: string, at: Date, after: Date): Date | undefined {
  const past = occurrencesAround(recurrence, timeZone, at, -8, 1).filter((t) => t.getTime() <= at.getTime());
  const latest = past.at(-1);
  return latest && latest.getTime() > after.getTime() ? latest : undefined;
}

/** The next run of an active automation after `now`; none when it is paused, stopped or awaiting approval. */
export function nextRunOf(automation: Automation, now: Date): Date | undefined {
  if (automation.status !== 'active') return undefined;
  const since = Math.max(Date.parse(automation.since) - 1, now.getTime());
  return nextOccurrence(automation.recurrence, automation.timeZone, new Date(since));
}

/** The run's id: the automation and the occurrence in UTC to the minute, e.g. `birthdays-r202612070700`. */
export function runIdFor(automationId: string, occurrence: Date): string {
  const iso = occurrence.toISOString();
  return `${automationId}-r${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** The occurrence to the minute: Scheduler's scheduled time carries seconds of zero, a local timer may not. */
export function occurrenceOf(scheduledTime: string): Date {
  const ms = Date.parse(scheduledTime);
  return new Date(ms - (ms % 60_000));
}

/** The campaign one occurrence runs: the blueprint, scheduled at the occurrence, tied to the automation. */
export function runCampaign(automation: Automation, occurrence: Date, now: Date): Campaign {
  return Campaign.parse(runFields(automation, occurrence, now));
}

function runFields(automation: Automation, occurrence: Date, now: Date): z.input<typeof Campaign> {
  const personal = isPersonalBlueprint(automation.campaign);
  const at = now.toISOString();
  return {
    ...automation.campaign,
    clubId: automation.clubId,
    campaignId: runIdFor(automation.automationId, occurrence),
    name: `${automation.campaign.name} (${localDateOf(occurrence, automation.timeZone)})`.slice(0, 120),
    kind: 'offers',
    sendAt: occurrence.toISOString(),
    status: 'scheduled',
    createdAt: at,
    updatedAt: at,
    ...(automation.createdBy ? { createdBy: automation.createdBy, authors: [automation.createdBy] } : {}),
    approval: automation.approvedBy
      ? { state: 'approved', by: automation.approvedBy, at: automation.updatedAt }
      : { state: 'none' },
    automation: { automationId: automation.automationId, occurrence: occurrence.toISOString() },
    ...(personal
      ? {
          personalDay: {
            date: localDateOf(occurrence, automation.timeZone),
            time: automation.memberTime ?? DEFAULT_MEMBER_TIME,
          },
        }
      : {}),
  };
}

/**
 * The runs an active automation will make after `now` and up to `until`, as campaigns not yet
 * stored: the planner weighs them as rivals, so a member's birthday tomorrow outranks today's offers
 * as a scheduled birthday campaign would (docs/decisions/0006-frequency-budget.md).
 */
export function upcomingRuns(automation: Automation, now: Date, until: Date): Campaign[] {
  const runs: Campaign[] = [];
  let at = nextRunOf(automation, now);
  while (at && at.getTime() <= until.getTime() && runs.length < 32) {
    // A blueprint stored by an older version that no longer parses must not stop the club's planning.
    const run = Campaign.safeParse(runFields(automation, at, now));
    if (run.success) runs.push(run.data);
    at = nextOccurrence(automation.recurrence, automation.timeZone, at);
  }
  return runs;
}
