/** Tables and judgements for `bench/fatigue.ts`: plain functions of the simulated results. */
import type { PolicyResult } from './simulate.js';

export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export const percent = (value: number, digits = 1) => `${(value * 100).toFixed(digits)} %`;
export const signedPercent = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)} %`;

/**
 * Conversions over a member's lifetime, extrapolated from the simulated year: the year repeats with
 * the same conversions per remaining member and the same share of members staying, discounted at
 * `LIFETIME_DISCOUNT` a year. A crude proxy for the "lifetime profit" of Zhang et al. (2017), used only
 * to show the frequency trade-off beyond one year; the goals are judged on the simulated year alone.
 */
export const LIFETIME_DISCOUNT = 0.1;

export function lifetimeConversionsPerMember(r: PolicyResult): number {
  const stay = 1 - r.left / r.members;
  return r.conversions / r.members / (1 - stay / (1 + LIFETIME_DISCOUNT));
}

export function resultRow(r: PolicyResult): string[] {
  return [
    r.policy,
    (r.mails / r.members).toFixed(1),
    String(r.mails),
    `${r.left} (${percent(r.left / r.members)})`,
    String(r.conversions),
    percent(r.conversions / Math.max(1, r.mails), 2),
    percent(r.left / Math.max(1, r.mails), 3),
    percent(r.opens / Math.max(1, r.mails)),
    percent(r.clicks / Math.max(1, r.mails), 2),
    String(r.breaches),
    String(r.knownBreaches),
    lifetimeConversionsPerMember(r).toFixed(2),
  ];
}

export const RESULT_HEADERS = [
  'policy',
  'mails / member',
  'mails',
  'members who left',
  'conversions',
  'conversions / mail',
  'unsubscribes / mail',
  'opens / mail',
  'clicks / mail',
  'breaches (true diet)',
  'breaches (known diet)',
  'lifetime conv. / member*',
];

export interface Goals {
  /** Ours vs send-everything: relative change in members who left (negative = fewer). */
  readonly leftVsEverything: number;
  /** Ours vs send-everything: ours' conversions as a share of send-everything's. */
  readonly conversionsVsEverything: number;
  readonly leftVsFixed: number;
  readonly conversionsVsFixed: number;
  /** ≥ 50 % fewer members leaving with ≥ 95 % of the conversions. */
  readonly beatsEverything: boolean;
  /** Fewer members leaving and more conversions than the fixed cap. */
  readonly beatsFixed: boolean;
}

export function judge(ours: PolicyResult, everything: PolicyResult, fixed: PolicyResult): Goals {
  const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? 1 : Number.POSITIVE_INFINITY) : a / b);
  const leftVsEverything = ratio(ours.left, everything.left) - 1;
  const conversionsVsEverything = ratio(ours.conversions, everything.conversions);
  const leftVsFixed = ratio(ours.left, fixed.left) - 1;
  const conversionsVsFixed = ratio(ours.conversions, fixed.conversions);
  return {
    leftVsEverything,
    conversionsVsEverything,
    leftVsFixed,
    conversionsVsFixed,
    beatsEverything: leftVsEverything <= -0.5 && conversionsVsEverything >= 0.95,
    beatsFixed: ours.left < fixed.left && ours.conversions > fixed.conversions,
  };
}

/** Policy names from best to worst by members who left (fewest first). */
export function orderByLeft(results: readonly PolicyResult[]): string[] {
  return [...results].sort((a, b) => a.left - b.left || a.policy.localeCompare(b.policy)).map((r) => r.policy);
}

/** Policy names from best to worst by conversions (most first). */
export function orderByConversions(results: readonly PolicyResult[]): string[] {
  return [...results]
    .sort((a, b) => b.conversions - a.conversions || a.policy.localeCompare(b.policy))
    .map((r) => r.policy);
}

export const yesNo = (value: boolean) => (value ? 'yes' : 'no');
