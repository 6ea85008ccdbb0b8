import { z } from 'zod';
import {
  changeBetween,
  MIN_READABLE_RESPONSES,
  type NpsFigure,
  npsFigure,
  type SeriesPoint,
  seriesOf,
} from '../core/nps.js';
import { dayBounds, HourlyCounts, periodEnd, segmentFigures, wholeHour } from '../core/nps-days.js';
import { DAY_MS } from '../core/units.js';
import type { Deps } from './deps.js';
import { rolledUpDays } from './nps-rollup.js';

/** The report's query: a period, the rolling window and how often a point of the series ends. */
export const NpsQuery = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    window: z.coerce.number().int().min(7).max(365).default(90),
    step: z.coerce.number().int().min(1).max(90).default(7),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'must be after from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 3 * 365 * DAY_MS, {
    path: ['to'],
    message: 'the period is at most three years',
  })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / (q.step * DAY_MS) <= 400, {
    path: ['step'],
    message: 'the series has at most 400 points: take a longer step',
  });
export type NpsQuery = z.infer<typeof NpsQuery>;

export interface NpsReport extends NpsFigure {
  readonly from: string;
  readonly to: string;
  readonly window: number;
  /** The period of the same length just before: `change` is `up` or `down` only when the intervals do not overlap. */
  readonly previous: NpsFigure & { readonly from: string; readonly to: string };
  readonly change: 'up' | 'down' | 'none';
  readonly series: readonly SeriesPoint[];
  /** The period's figure per value of each segment: `engagement` (active, passive) and any member attribute recorded. */
  readonly segments: Readonly<Record<string, Readonly<Record<string, NpsFigure>>>>;
  readonly minReadableResponses: number;
}

/**
 * The club's NPS over a period, with its 95 % margin, the period before it, a rolling series in
 * which each window carries its own margin, and the period split by segment
 * (docs/decisions/0037-nps-signal-and-noise.md). Automated answers are never counted.
 *
 * Read from the day roll-up (docs/decisions/0055-nps-day-roll-up.md): one item per day of the period
 * and the windows before it, with the period's first and last part-days' answers for the segments.
 * Times are taken down to the whole hour, the roll-up's grain; a period ending now or later, up to the
 * next one (core/nps-days.ts periodEnd).
 */
export async function npsReport(
  deps: Pick<Deps, 'surveys' | 'clock'>,
  clubId: string,
  query: NpsQuery,
): Promise<NpsReport> {
  const from = wholeHour(Date.parse(query.from));
  const to = Math.max(from, periodEnd(Date.parse(query.to), deps.clock.now().getTime()));
  const length = to - from;
  const earliest = Math.min(from - 2 * query.window * DAY_MS, from - length);
  const [days, edges] = await Promise.all([
    rolledUpDays(deps, clubId, earliest, to),
    partDayAnswers(deps, clubId, from, to),
  ]);
  const hourly = new HourlyCounts(days);
  const figure = (a: number, b: number) => npsFigure(hourly.between(a, b));
  const current = figure(from, to);
  const previous = figure(from - length, from);
  const whole = days.filter((d) => dayBounds(d.day).start >= from && dayBounds(d.day).end <= to);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    window: query.window,
    ...current,
    previous: { ...previous, from: new Date(from - length).toISOString(), to: new Date(from).toISOString() },
    change: changeBetween(previous, current),
    series: seriesOf(figure, { from: new Date(from), to: new Date(to) }, query.window, query.step),
    segments: segmentFigures(whole, edges),
    minReadableResponses: MIN_READABLE_RESPONSES,
  };
}

/** The answers of the period's part-days: from `from` to the end of its day, and from the start of `to`'s day. */
async function partDayAnswers(deps: Pick<Deps, 'surveys'>, clubId: string, from: number, to: number) {
  const firstEnd = Math.ceil(from / DAY_MS) * DAY_MS;
  const lastStart = Math.floor(to / DAY_MS) * DAY_MS;
  if (firstEnd >= lastStart) return from === firstEnd && to === lastStart ? [] : read(from, to);
  const [head, tail] = await Promise.all([
    from < firstEnd ? read(from, firstEnd) : [],
    lastStart < to ? read(lastStart, to) : [],
  ]);
  return [...head, ...tail];

  function read(a: number, b: number) {
    return deps.surveys.answers(clubId, new Date(a), new Date(b));
  }
}
