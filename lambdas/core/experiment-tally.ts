import { z } from 'zod';
import type { EngagementPolicy } from './engagement.js';
import { type MemberHistory, type Month, type MonthOutcome, outcomeIn } from './experiment-outcomes.js';
import { minorUnits } from './purchase-activity.js';

/**
 * What the experiment report needs of each arm and month, summed over members
 * (docs/decisions/0053-experiment-counted-in-slices.md): counts for the shares, and for mails,
 * conversions and spend (in minor units) how many members had each value. Every figure of the report
 * is worked out from these alone, so the members can be counted in any slices and the slices' tallies
 * added up in any order: the report is the same as from all members at once. Pure.
 */

const Count = z.number().int().min(0);
/** Value → members with it, as `[value, members]` pairs in ascending value order. */
export const Histogram = z.array(z.tuple([z.number().int(), Count]));
export type Histogram = z.infer<typeof Histogram>;

export const ArmTally = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  armId: z.string().min(1),
  members: Count,
  left: Count,
  passive: Count,
  /** Members with at least one receipt of the month whose lines carry amounts. */
  withAmount: Count,
  mails: Histogram,
  conversions: Histogram,
  /** What the members' receipts of the month came to in all, in minor units (öre, cents): exact. */
  spendSumMinor: z.number().int(),
  /** What each member's receipts of the month came to, in minor units, to three significant digits (`spendBin`). */
  spendMinor: Histogram,
});
export type ArmTally = z.infer<typeof ArmTally>;

/** The tallies of some members: one per month and arm that has any of them. */
export const Tallies = z.array(ArmTally);
export type Tallies = z.infer<typeof Tallies>;

/**
 * A member's spend as the bootstrap's value counts keep it: to three significant digits from 10.00 on
 * (a relative error of 0.5 % at most), so an arm's month has at most about 900 distinct values a
 * decade however many members it has, and its tally stays one small row.
 */
export function spendBin(minor: number): number {
  const size = Math.abs(minor);
  if (size < 1000) return minor;
  const step = 10 ** (Math.floor(Math.log10(size)) - 2);
  return Math.sign(minor) * Math.round(size / step) * step;
}

const keyOf = (month: string, armId: string) => `${month}\n${armId}`;

function addTo(histogram: Map<number, number>, value: number, members = 1): void {
  histogram.set(value, (histogram.get(value) ?? 0) + members);
}

const sortedPairs = (histogram: ReadonlyMap<number, number>): Histogram =>
  [...histogram].sort((a, b) => a[0] - b[0]).map(([value, members]): [number, number] => [value, members]);

interface Building {
  month: string;
  armId: string;
  members: number;
  left: number;
  passive: number;
  withAmount: number;
  spendSumMinor: number;
  mails: Map<number, number>;
  conversions: Map<number, number>;
  spendMinor: Map<number, number>;
}

/** Tallies being summed: members' outcomes or other tallies added in any order. */
export class TallySum {
  private readonly cells = new Map<string, Building>();

  private cell(month: string, armId: string): Building {
    const key = keyOf(month, armId);
    let cell = this.cells.get(key);
    if (!cell) {
      cell = {
        month,
        armId,
        members: 0,
        left: 0,
        passive: 0,
        withAmount: 0,
        spendSumMinor: 0,
        mails: new Map(),
        conversions: new Map(),
        spendMinor: new Map(),
      };
      this.cells.set(key, cell);
    }
    return cell;
  }

  addOutcome(month: string, armId: string, outcome: MonthOutcome): void {
    const cell = this.cell(month, armId);
    cell.members += 1;
    if (outcome.left) cell.left += 1;
    if (outcome.passive) cell.passive += 1;
    if (outcome.receiptsWithAmount > 0) cell.withAmount += 1;
    addTo(cell.mails, outcome.mails);
    addTo(cell.conversions, outcome.conversions);
    const spend = minorUnits(outcome.spend);
    cell.spendSumMinor += spend;
    addTo(cell.spendMinor, spendBin(spend));
  }

  addTallies(tallies: Tallies): void {
    for (const t of tallies) {
      const cell = this.cell(t.month, t.armId);
      cell.members += t.members;
      cell.left += t.left;
      cell.passive += t.passive;
      cell.withAmount += t.withAmount;
      cell.spendSumMinor += t.spendSumMinor;
      for (const [value, members] of t.mails) addTo(cell.mails, value, members);
      for (const [value, members] of t.conversions) addTo(cell.conversions, value, members);
      for (const [value, members] of t.spendMinor) addTo(cell.spendMinor, value, members);
    }
  }

  /** The sum, in month and arm order (the same whatever order things were added in). */
  tallies(): Tallies {
    return [...this.cells.values()]
      .sort((a, b) => (a.month === b.month ? (a.armId < b.armId ? -1 : 1) : a.month < b.month ? -1 : 1))
      .map((c) => ({
        month: c.month,
        armId: c.armId,
        members: c.members,
        left: c.left,
        passive: c.passive,
        withAmount: c.withAmount,
        spendSumMinor: c.spendSumMinor,
        mails: sortedPairs(c.mails),
        conversions: sortedPairs(c.conversions),
        spendMinor: sortedPairs(c.spendMinor),
      }));
  }
}

/** The tallies of these members in each of `months` (members not in the experiment in a month are left out). */
export function tallyMembers(
  members: readonly MemberHistory[],
  months: readonly Month[],
  until: number,
  rules: { readonly engagement: EngagementPolicy; readonly conversionWindowDays: number },
): Tallies {
  const sum = new TallySum();
  for (const month of months)
    for (const member of members) {
      const outcome = outcomeIn(member, month, until, rules);
      if (outcome) sum.addOutcome(month.month, member.armId, outcome);
    }
  return sum.tallies();
}

/** Every member's value, in ascending order: what the intervals are computed from. */
export function valuesOf(histogram: Histogram, scale = 1): number[] {
  const values: number[] = [];
  for (const [value, members] of histogram) for (let i = 0; i < members; i++) values.push(value / scale);
  return values;
}
