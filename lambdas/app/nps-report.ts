import { z } from 'zod';
import {
  bySegment,
  changeBetween,
  figureBetween,
  MIN_READABLE_RESPONSES,
  type NpsFigure,
  rollingSeries,
  type SeriesPoint,
} from '../core/nps.js';
import { DAY_MS } from '../core/units.js';
import type { Deps } from './deps.js';

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
 */
export async function npsReport(deps: Pick<Deps, 'surveys'>, clubId: string, query: NpsQuery): Promise<NpsReport> {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  const length = to - from;
  const earliest = Math.min(from - 2 * query.window * DAY_MS, from - length);
  const answers = await deps.surveys.answers(clubId, new Date(earliest), new Date(to));
  const sorted = [...answers].sort((a, b) => a.at - b.at);
  const current = figureBetween(sorted, from, to);
  const previous = figureBetween(sorted, from - length, from);
  const inPeriod = sorted.filter((a) => a.at > from && a.at <= to);
  const keys = [...new Set(inPeriod.flatMap((a) => Object.keys(a.segments)))].sort();
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    window: query.window,
    ...current,
    previous: { ...previous, from: new Date(from - length).toISOString(), to: new Date(from).toISOString() },
    change: changeBetween(previous, current),
    series: rollingSeries(sorted, { from: new Date(from), to: new Date(to) }, query.window, query.step),
    segments: Object.fromEntries(keys.map((key) => [key, bySegment(inPeriod, key)])),
    minReadableResponses: MIN_READABLE_RESPONSES,
  };
}
