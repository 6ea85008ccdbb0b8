import type { StoredNpsDay } from '../core/feedback-ports.js';
import { dayBounds, daysBetween, type NpsDayCounts, rollUpDay } from '../core/nps-days.js';
import { RETENTION_DAYS } from '../core/retention.js';
import { DAY_MS } from '../core/units.js';
import type { Deps } from './deps.js';

/** Days counted again at once: a first read of a long period (answers stored before the roll-up) stays bounded. */
const RECOUNTS_AT_ONCE = 16;

/**
 * The club's NPS roll-up for every UTC day whose hours meet (from, to] (docs/decisions/0055-nps-day-roll-up.md):
 * one query of the stored days, then each day that is missing (answers stored before the roll-up, or a
 * day never read) or changed since it was counted is counted from its answers (one query of the day)
 * and stored, unless an answer of the day was written meanwhile. Days past the answers' retention are
 * empty without a read; a day whose first answers are expiring is counted from the answers still kept.
 */
export async function rolledUpDays(
  deps: Pick<Deps, 'surveys' | 'clock'>,
  clubId: string,
  from: number,
  to: number,
): Promise<NpsDayCounts[]> {
  const retention = RETENTION_DAYS.surveyResponse * DAY_MS;
  const now = deps.clock.now().getTime();
  const days = daysBetween(from, to).filter((day) => dayBounds(day).end + retention > now);
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) return [];
  const stored = new Map((await deps.surveys.npsDays(clubId, first, last)).map((d) => [d.day, d]));
  const counted = new Map<string, NpsDayCounts>();
  const stale: Array<{ day: string; changes: number }> = [];
  for (const day of days) {
    const one = stored.get(day);
    if (one && current(one) && dayBounds(day).start + retention > now) counted.set(day, one.counts);
    else stale.push({ day, changes: one?.changes ?? 0 });
  }
  for (let i = 0; i < stale.length; i += RECOUNTS_AT_ONCE) {
    await Promise.all(
      stale.slice(i, i + RECOUNTS_AT_ONCE).map(async ({ day, changes }) => {
        const { start, end } = dayBounds(day);
        const counts = rollUpDay(day, await deps.surveys.answers(clubId, new Date(start), new Date(end)));
        counted.set(day, counts);
        // Another answer of the day since `changes` was read: it is counted at the next read instead.
        await deps.surveys.putNpsDay(clubId, counts, changes);
      }),
    );
  }
  return days.flatMap((day) => {
    const counts = counted.get(day);
    return counts ? [counts] : [];
  });
}

function current(day: StoredNpsDay): day is StoredNpsDay & { counts: NpsDayCounts } {
  return day.counts !== undefined && day.counted === day.changes;
}
