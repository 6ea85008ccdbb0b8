import { type EngagementPolicy, engagementOf } from './engagement.js';
import { minorUnits } from './purchase-activity.js';
import { DAY_MS } from './units.js';

/**
 * What one member did in each month of the experiment, from what is stored about them: their
 * mails (from the campaigns' send records), their receipts, and when they left mail. Pure.
 */

/** Everything the report needs about one member of an arm. */
export interface MemberHistory {
  readonly memberId: string;
  readonly armId: string;
  /** When the member was first assigned (epoch ms): they count from that month on. */
  readonly assignedAt: number;
  /** When they unsubscribed or complained, if they did (epoch ms). */
  readonly leftAt?: number;
  /** Their latest open or click (epoch ms); only the latest is kept, so earlier months use receipts too. */
  readonly lastEngagedAt?: number;
  /** Their campaign mails: when, and the products the mail offered. */
  readonly mails: ReadonlyArray<{ readonly at: number; readonly productIds: readonly string[] }>;
  readonly receipts: ReadonlyArray<{
    readonly at: number;
    readonly productIds: readonly string[];
    /** What the receipt came to: its lines' amounts added up (core/receipts.ts `receiptSpend`), when any carries one. */
    readonly spend?: number;
  }>;
}

/** One calendar month (UTC) of the experiment: [from, to). */
export interface Month {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly from: number;
  readonly to: number;
  /** Whether the month is over; the current month is reported up to now. */
  readonly complete: boolean;
}

/** The calendar months (UTC) from the one the experiment started in to the current one, at most `max`. */
export function monthsOf(startedAt: number, now: number, max = 36): Month[] {
  const months: Month[] = [];
  const start = new Date(startedAt);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  while (months.length < max) {
    const from = Date.UTC(year, month, 1);
    if (from > now) break;
    const to = Date.UTC(year, month + 1, 1);
    months.push({ month: new Date(from).toISOString().slice(0, 7), from, to, complete: to <= now });
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
  return months;
}

/** One member's outcomes in one month. */
export interface MonthOutcome {
  /** Left mail (unsubscribed or complained) by the end of the month. */
  readonly left: boolean;
  /** Passive (the club's engagement rule) at the end of the month. */
  readonly passive: boolean;
  readonly mails: number;
  /** Purchases of a product a mail offered them in the `conversionWindowDays` before. */
  readonly conversions: number;
  /** What their receipts of the month add up to (receipts whose lines carry no amount count nothing). */
  readonly spend: number;
  readonly receiptsWithAmount: number;
}

/**
 * The member's outcomes in `month`, or undefined when they were not in the experiment yet (assigned
 * after the month) or had already left mail before they were assigned (nothing left to measure).
 */
export function outcomeIn(
  member: MemberHistory,
  month: Month,
  now: number,
  rules: { readonly engagement: EngagementPolicy; readonly conversionWindowDays: number },
): MonthOutcome | undefined {
  if (member.assignedAt >= month.to) return undefined;
  if (member.leftAt !== undefined && member.leftAt < member.assignedAt) return undefined;
  const end = Math.min(month.to, now);
  const left = member.leftAt !== undefined && member.leftAt < end;
  const sentBefore = member.mails.filter((m) => m.at < end).map((m) => m.at);
  const engagedBefore = [
    ...(member.lastEngagedAt !== undefined && member.lastEngagedAt < end ? [member.lastEngagedAt] : []),
    ...member.receipts.filter((r) => r.at < end).map((r) => r.at),
  ];
  const lastEngagedAt = engagedBefore.length > 0 ? Math.max(...engagedBefore) : undefined;
  const passive =
    engagementOf({ sentAt: sentBefore, ...(lastEngagedAt === undefined ? {} : { lastEngagedAt }) }, rules.engagement)
      .state === 'passive';
  const inMonth = <T extends { readonly at: number }>(items: readonly T[]) =>
    items.filter((i) => i.at >= month.from && i.at < end);
  const windowMs = rules.conversionWindowDays * DAY_MS;
  let conversions = 0;
  let spendCents = 0;
  let receiptsWithAmount = 0;
  for (const receipt of inMonth(member.receipts)) {
    const offered = new Set(
      member.mails.filter((m) => m.at <= receipt.at && receipt.at - m.at <= windowMs).flatMap((m) => m.productIds),
    );
    conversions += new Set(receipt.productIds.filter((p) => offered.has(p))).size;
    if (receipt.spend !== undefined) {
      spendCents += minorUnits(receipt.spend);
      receiptsWithAmount += 1;
    }
  }
  const spend = spendCents / 100;
  return { left, passive, mails: inMonth(member.mails).length, conversions, spend, receiptsWithAmount };
}
