import { z } from 'zod';
import { type NpsAnswer, type NpsCounts, type NpsFigure, npsFigure } from './nps.js';
import { npsGroupOf } from './survey.js';
import { DAY_MS, HOUR_MS } from './units.js';

/**
 * The NPS roll-up (docs/decisions/0055-nps-day-roll-up.md): per club and UTC day, the day's counted
 * answers per hour and per segment value, so the report reads one item per day instead of every answer.
 *
 * An answer falls in the hour (k·h, (k+1)·h] that holds it, as the report's periods are (from, to]: an
 * answer at exactly 10:00 is in the hour that ends then. A day holds the hours that start in it.
 */

const Count = z.number().int().min(0);
/** [hour of the day 0–23, promoters, passives, detractors], answered hours only. */
const HourCounts = z.tuple([z.number().int().min(0).max(23), Count, Count, Count]);
/** [segment, value, promoters, passives, detractors]: a list, so any segment or value text is plain data. */
const SegmentCounts = z.tuple([z.string(), z.string(), Count, Count, Count]);

export const NpsDayCounts = z.object({
  /** The UTC day, YYYY-MM-DD. */
  day: z.iso.date(),
  hours: z.array(HourCounts).max(24),
  segments: z.array(SegmentCounts),
});
export type NpsDayCounts = z.infer<typeof NpsDayCounts>;

/** The index of the hour an answer falls in: hour k is (k·h, (k+1)·h]. */
export const hourIndexOf = (at: number) => Math.ceil(at / HOUR_MS) - 1;

/** The UTC day (YYYY-MM-DD) whose roll-up counts an answer at `at`. */
export const dayOf = (at: number) => new Date(hourIndexOf(at) * HOUR_MS).toISOString().slice(0, 10);

/** The answers a day counts: those in (start, end]. */
export function dayBounds(day: string): { readonly start: number; readonly end: number } {
  const start = Date.parse(`${day}T00:00:00.000Z`);
  return { start, end: start + DAY_MS };
}

/** Every UTC day whose hours meet (from, to], oldest first. */
export function daysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  if (to <= from) return days;
  for (let t = Math.floor((hourIndexOf(from + 1) * HOUR_MS) / DAY_MS) * DAY_MS; t < to; t += DAY_MS)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** A time taken down to its whole hour: the report's periods start and end on whole hours. */
export const wholeHour = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;

/**
 * Where a report's period ends: `to` taken down to its whole hour, or, when `to` is not in the past,
 * up to the next one: nothing is answered after `now`, so "up to now" still counts every answer so far.
 */
export const periodEnd = (to: number, now: number) => (to >= now ? Math.ceil(to / HOUR_MS) * HOUR_MS : wholeHour(to));

type Triple = [number, number, number];
const add = (counts: Triple, score: number) => {
  const group = npsGroupOf(score);
  counts[group === 'promoter' ? 0 : group === 'passive' ? 1 : 2] += 1;
};

/** The roll-up of one day from its answers (those outside the day are left out). */
export function rollUpDay(day: string, answers: Iterable<NpsAnswer>): NpsDayCounts {
  const { start, end } = dayBounds(day);
  const hours = new Map<number, Triple>();
  const segments = new Map<string, { key: string; value: string; counts: Triple }>();
  for (const answer of answers) {
    if (answer.at <= start || answer.at > end) continue;
    const hour = hourIndexOf(answer.at) - start / HOUR_MS;
    const counts = hours.get(hour) ?? [0, 0, 0];
    add(counts, answer.score);
    hours.set(hour, counts);
    for (const [key, value] of Object.entries(answer.segments)) {
      const id = JSON.stringify([key, value]);
      const entry = segments.get(id) ?? { key, value, counts: [0, 0, 0] };
      add(entry.counts, answer.score);
      segments.set(id, entry);
    }
  }
  return {
    day,
    hours: [...hours].sort(([a], [b]) => a - b).map(([hour, [p, n, d]]) => [hour, p, n, d]),
    segments: [...segments.values()]
      .sort((a, b) => (a.key === b.key ? a.value.localeCompare(b.value) : a.key.localeCompare(b.key)))
      .map(({ key, value, counts: [p, n, d] }) => [key, value, p, n, d]),
  };
}

/** Counts between two whole hours over a run of days: prefix sums over the answered hours. */
export class HourlyCounts {
  private readonly hours: number[] = [];
  /** Cumulative [promoters, passives, detractors] up to and including hours[i]. */
  private readonly sums: Triple[] = [];

  constructor(days: readonly NpsDayCounts[]) {
    const all: Array<[number, number, number, number]> = [];
    for (const day of days) {
      const base = dayBounds(day.day).start / HOUR_MS;
      for (const [hour, p, n, d] of day.hours) all.push([base + hour, p, n, d]);
    }
    // Days come oldest first and their hours in order: sorting is only for a caller who mixed them.
    if (all.some((entry, i) => i > 0 && entry[0] < (all[i - 1]?.[0] ?? 0))) all.sort((a, b) => a[0] - b[0]);
    let running: Triple = [0, 0, 0];
    for (const [hour, p, n, d] of all) {
      running = [running[0] + p, running[1] + n, running[2] + d];
      this.hours.push(hour);
      this.sums.push(running);
    }
  }

  /** Cumulative counts of the hours before `index` (hours whose index is < index). */
  private upTo(index: number): Triple {
    let lo = 0;
    let hi = this.hours.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.hours[mid] ?? 0) < index) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? [0, 0, 0] : (this.sums[lo - 1] ?? [0, 0, 0]);
  }

  /** The answers in (from, to], both taken down to the whole hour. */
  between(from: number, to: number): NpsCounts {
    const a = this.upTo(wholeHour(from) / HOUR_MS);
    const b = this.upTo(wholeHour(to) / HOUR_MS);
    return { promoters: b[0] - a[0], passives: b[1] - a[1], detractors: b[2] - a[2] };
  }
}

/**
 * The figure of each value of each segment, from whole days' roll-ups and the answers of the part-days
 * at either end (core/nps.ts bySegment gives the same from the answers alone).
 */
export function segmentFigures(
  days: readonly NpsDayCounts[],
  answers: readonly NpsAnswer[],
): Record<string, Record<string, NpsFigure>> {
  const keys = new Map<string, Map<string, Triple>>();
  const countsOf = (key: string, value: string) => {
    const values = keys.get(key) ?? new Map<string, Triple>();
    keys.set(key, values);
    const counts = values.get(value) ?? [0, 0, 0];
    values.set(value, counts);
    return counts;
  };
  for (const day of days) {
    for (const [key, value, p, n, d] of day.segments) {
      const counts = countsOf(key, value);
      counts[0] += p;
      counts[1] += n;
      counts[2] += d;
    }
  }
  for (const answer of answers)
    for (const [key, value] of Object.entries(answer.segments)) add(countsOf(key, value), answer.score);
  // fromEntries defines own properties: a value such as "__proto__" stays a plain entry.
  return Object.fromEntries(
    [...keys]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, values]) => [
        key,
        Object.fromEntries(
          [...values]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([value, [promoters, passives, detractors]]) => [
              value,
              npsFigure({ promoters, passives, detractors }),
            ]),
        ),
      ]),
  );
}
