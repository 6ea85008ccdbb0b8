import type { AttributeDeclaration, AttributeValue } from './attributes.js';
import { npsGroupOf } from './survey.js';
import { DAY_MS } from './units.js';

/**
 * NPS with its margin of error (docs/decisions/0037-nps-signal-and-noise.md). With p the share of
 * promoters, d the share of detractors and n answers, NPS = 100 (p − d), and as each answer is +1, 0
 * or −1, Var(NPS) = 100² (p + d − (p − d)²) / n; the 95 % margin is 1.96 √Var. p = 0.45, d = 0.20,
 * n = 100 gives 25 ± 15.
 */

/** Fewer answers than this and a figure is marked too few to read: its margin is ±10 or more. */
export const MIN_READABLE_RESPONSES = 100;

export interface NpsCounts {
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
}

export interface NpsFigure extends NpsCounts {
  readonly responses: number;
  /** −100 to 100, one decimal; null without answers. */
  readonly nps: number | null;
  /** Half the width of the 95 % interval, in NPS points, one decimal; null without answers. */
  readonly margin95: number | null;
  /** Fewer than MIN_READABLE_RESPONSES answers: the figure is shown, but not to be read as a trend. */
  readonly tooFewToRead: boolean;
}

const oneDecimal = (x: number) => Math.round(x * 10) / 10;

/** The variance of NPS (in points²) for shares p and d over n answers. */
export function npsVariance(p: number, d: number, n: number): number {
  if (n <= 0) return Number.POSITIVE_INFINITY;
  return (100 ** 2 * (p + d - (p - d) ** 2)) / n;
}

/** 1.96 √Var(NPS): half the width of the 95 % confidence interval. */
export function npsMargin95(p: number, d: number, n: number): number {
  return 1.96 * Math.sqrt(npsVariance(p, d, n));
}

export function npsFigure(counts: NpsCounts): NpsFigure {
  const responses = counts.promoters + counts.passives + counts.detractors;
  const tooFewToRead = responses < MIN_READABLE_RESPONSES;
  if (responses === 0) return { ...counts, responses, nps: null, margin95: null, tooFewToRead };
  const p = counts.promoters / responses;
  const d = counts.detractors / responses;
  return {
    promoters: counts.promoters,
    passives: counts.passives,
    detractors: counts.detractors,
    responses,
    nps: oneDecimal(100 * (p - d)),
    margin95: oneDecimal(npsMargin95(p, d, responses)),
    tooFewToRead,
  };
}

/** One answer as the NPS report reads it: when, the score, and the segments recorded with it. */
export interface NpsAnswer {
  /** Epoch ms of the answer (its first vote: changing the score within 24 h keeps the time). */
  readonly at: number;
  readonly score: number;
  readonly segments: Readonly<Record<string, string>>;
}

export function countAnswers(answers: Iterable<NpsAnswer>): NpsCounts {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const answer of answers) {
    const group = npsGroupOf(answer.score);
    if (group === 'promoter') promoters += 1;
    else if (group === 'passive') passives += 1;
    else detractors += 1;
  }
  return { promoters, passives, detractors };
}

/** Whether two figures differ beyond noise: both readable, and their 95 % intervals do not overlap. */
export function changeBetween(before: NpsFigure, after: NpsFigure): 'up' | 'down' | 'none' {
  if (before.tooFewToRead || after.tooFewToRead) return 'none';
  if (before.nps === null || after.nps === null || before.margin95 === null || after.margin95 === null) return 'none';
  if (after.nps - after.margin95 > before.nps + before.margin95) return 'up';
  if (after.nps + after.margin95 < before.nps - before.margin95) return 'down';
  return 'none';
}

export interface SeriesPoint extends NpsFigure {
  /** The window: answers after `from` up to and including `to` (ISO times). */
  readonly from: string;
  readonly to: string;
  /**
   * Against the window just before this one (not overlapping it): `up` or `down` only when both are
   * readable and their intervals do not overlap; `none` otherwise, however far the two figures are apart.
   */
  readonly change: 'up' | 'down' | 'none';
}

/**
 * Rolling windows of `windowDays`, one ending every `stepDays` from `from` to `to` (the last one ends
 * at `to`). Each point carries its own margin and whether it differs from the window before it.
 * `answers` must reach back 2 × `windowDays` before `from` for the first point's comparison.
 */
export function rollingSeries(
  answers: readonly NpsAnswer[],
  range: { readonly from: Date; readonly to: Date },
  windowDays: number,
  stepDays: number,
): SeriesPoint[] {
  const sorted = [...answers].sort((a, b) => a.at - b.at);
  return seriesOf((from, to) => figureBetween(sorted, from, to), range, windowDays, stepDays);
}

/** The rolling series of rollingSeries, with `figure` giving the figure of (from, to] (from answers, or a roll-up). */
export function seriesOf(
  figure: (from: number, to: number) => NpsFigure,
  range: { readonly from: Date; readonly to: Date },
  windowDays: number,
  stepDays: number,
): SeriesPoint[] {
  const window = windowDays * DAY_MS;
  const ends: number[] = [];
  for (let end = range.to.getTime(); end >= range.from.getTime(); end -= stepDays * DAY_MS) ends.unshift(end);
  return ends.map((end) => {
    const current = figure(end - window, end);
    const previous = figure(end - 2 * window, end - window);
    return {
      ...current,
      from: new Date(end - window).toISOString(),
      to: new Date(end).toISOString(),
      change: changeBetween(previous, current),
    };
  });
}

/** The figure of the answers in (from, to]. */
export function figureBetween(sorted: readonly NpsAnswer[], from: number, to: number): NpsFigure {
  return npsFigure(countAnswers(sorted.filter((a) => a.at > from && a.at <= to)));
}

/**
 * The figure of each value of one segment (`engagement` → `active`, `passive`; later any member
 * attribute the club imports, such as `homeStore`). Answers recorded without the segment are left out.
 */
export function bySegment(answers: readonly NpsAnswer[], segment: string): Record<string, NpsFigure> {
  const groups = new Map<string, NpsAnswer[]>();
  for (const answer of answers) {
    const value = Object.hasOwn(answer.segments, segment) ? answer.segments[segment] : undefined;
    if (value === undefined) continue;
    const group = groups.get(value) ?? [];
    group.push(answer);
    groups.set(value, group);
  }
  // fromEntries defines own properties: a value such as "__proto__" stays a plain entry.
  return Object.fromEntries(
    [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([value, group]) => [value, npsFigure(countAnswers(group))]),
  );
}

/** The segments an answer is recorded with: engagement, and each of the member's attributes (key → value). */
export function segmentsOf(
  engagement: 'active' | 'passive',
  attributes: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return { ...attributes, engagement };
}

/**
 * The member's imported attributes that split answers into groups, as segments named `attr.<name>`
 * (the audience rules' notation): text, enum and yes/no values such as a home store. Numbers and dates
 * are left out: nearly every member would be a segment of their own.
 */
export function attributeSegments(
  declared: readonly AttributeDeclaration[],
  values: Readonly<Record<string, AttributeValue>>,
): Record<string, string> {
  const segments: Record<string, string> = {};
  for (const { name, type } of declared) {
    const value = values[name];
    if (value === undefined || type === 'number' || type === 'date') continue;
    segments[`attr.${name}`] = String(value);
  }
  return segments;
}
