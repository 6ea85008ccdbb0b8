import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SnapshotHeader } from '../core/console-ports.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { toLocalDate } from '../core/local-time.js';
import type { Campaign, Member } from '../core/model.js';
import type { Receipt } from '../core/ports.js';
import { DAY_MS } from '../core/units.js';
import type { Deps } from './deps.js';

/**
 * What a campaign did, against its control group (docs/decisions/0035-campaign-report.md), counted
 * a slice at a time into the report's snapshot like the explorer: the mails from their send records,
 * the control group from the decisions held out, and for each member of either group whether they
 * unsubscribed, and bought an offered product, within the window after the mail (the control group:
 * after the plan). A conversion is judged from the ingested receipts.
 */

export const DEFAULT_WINDOW_DAYS = 7;
const READS_AT_ONCE = 50;

/** Send-record states of a mail SES took. */
const SENT_STATES = new Set(['sent', 'soft-bounced', 'bounced', 'complained']);

const Count = z.number().int().min(0);
export const DayCounts = z.object({
  sent: Count,
  clicked: Count,
  converted: Count,
  holdoutConverted: Count,
  unsubscribed: Count,
});
export type DayCounts = z.infer<typeof DayCounts>;
const EMPTY_DAY: DayCounts = { sent: 0, clicked: 0, converted: 0, holdoutConverted: 0, unsubscribed: 0 };

export const ResultCounts = z.object({
  planned: Count,
  sent: Count,
  bounced: Count,
  complained: Count,
  clicked: Count,
  unsubscribed: Count,
  converted: Count,
  holdout: Count,
  holdoutUnsubscribed: Count,
  holdoutConverted: Count,
});
export type ResultCounts = z.infer<typeof ResultCounts>;

export const ResultsState = z.object({
  windowDays: z.number().int().min(1).max(60),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().optional(),
  shards: z.array(
    z.object({
      sends: z.string().optional(),
      sendsDone: z.boolean(),
      holdouts: z.string().optional(),
      holdoutsDone: z.boolean(),
    }),
  ),
  counts: ResultCounts,
  /** Per local day of the club, `YYYY-MM-DD`. */
  days: z.record(z.string(), DayCounts),
});
export type ResultsState = z.infer<typeof ResultsState>;

type ResultsDeps = Pick<Deps, 'campaigns' | 'clubs' | 'members' | 'purchases' | 'outcomes' | 'snapshots' | 'clock'>;

export async function readResults(
  deps: Pick<Deps, 'snapshots'>,
  clubId: string,
  campaignId: string,
): Promise<{ header: SnapshotHeader; state: ResultsState } | undefined> {
  const header = await deps.snapshots.getHeader(clubId, 'report', campaignId);
  const state = ResultsState.safeParse(header?.state);
  return header && state.success ? { header, state: state.data } : undefined;
}

interface WindowStart {
  readonly memberId: string;
  /** When the window starts: the mail's send time, or the plan's decision for the control group. */
  readonly from: string;
}

/** Whether the member unsubscribed, and whether they bought an offered product, within the window. */
async function outcomesOf(
  deps: Pick<Deps, 'members' | 'purchases'>,
  clubId: string,
  members: readonly WindowStart[],
  offered: ReadonlySet<string>,
  windowMs: number,
): Promise<Array<{ unsubscribedAt?: string; convertedAt?: string }>> {
  const results: Array<{ unsubscribedAt?: string; convertedAt?: string }> = [];
  for (let i = 0; i < members.length; i += READS_AT_ONCE) {
    const chunk = members.slice(i, i + READS_AT_ONCE);
    results.push(
      ...(await Promise.all(
        chunk.map(async ({ memberId, from }) => {
          const [state, receipts] = await Promise.all([
            deps.members.getForSend(clubId, memberId),
            deps.purchases.listReceipts(clubId, memberId),
          ]);
          const start = Date.parse(from);
          const within = (at: string | undefined) =>
            at !== undefined && Date.parse(at) >= start && Date.parse(at) <= start + windowMs;
          return {
            ...(state && unsubscribedWithin(state.member, within)
              ? { unsubscribedAt: state.member.subscriptionChangedAt }
              : {}),
            ...firstConversion(receipts, offered, within),
          };
        }),
      )),
    );
  }
  return results;
}

function unsubscribedWithin(member: Member, within: (at: string | undefined) => boolean): boolean {
  return member.subscription === 'unsubscribed' && within(member.subscriptionChangedAt);
}

function firstConversion(
  receipts: readonly Receipt[],
  offered: ReadonlySet<string>,
  within: (at: string) => boolean,
): { convertedAt?: string } {
  const times = receipts
    .filter((r) => within(r.at) && r.items.some((item) => offered.has(item.productId)))
    .map((r) => r.at)
    .sort();
  return times[0] ? { convertedAt: times[0] } : {};
}

/**
 * Start (or with `restart`, start again, e.g. with another window) and advance the count of a
 * campaign's results for about `budgetMs`. Undefined for no such campaign.
 */
export async function advanceResults(
  deps: ResultsDeps,
  campaign: Campaign,
  timeZone: string,
  options: { readonly budgetMs: number; readonly restart?: boolean; readonly windowDays?: number },
): Promise<{ header: SnapshotHeader; state: ResultsState } | undefined> {
  const began = Date.now();
  const { clubId, campaignId } = campaign;
  let current = await readResults(deps, clubId, campaignId);
  if (!current || options.restart) {
    const state: ResultsState = {
      windowDays: options.windowDays ?? current?.state.windowDays ?? DEFAULT_WINDOW_DAYS,
      startedAt: deps.clock.now().toISOString(),
      shards: Array.from({ length: MEMBER_SHARDS }, () => ({ sendsDone: false, holdoutsDone: false })),
      counts: ResultCounts.parse(Object.fromEntries(Object.keys(ResultCounts.shape).map((k) => [k, 0]))),
      days: {},
    };
    const header: SnapshotHeader = {
      clubId,
      kind: 'report',
      campaignId,
      runId: randomUUID(),
      version: (current?.header.version ?? 0) + 1,
      state,
    };
    if ((await deps.snapshots.putHeader(header, current?.header.version)) === 'changed')
      return readResults(deps, clubId, campaignId);
    current = { header, state };
  }
  if (current.state.finishedAt) return current;
  const { offers } = await deps.clubs.getCatalog(clubId);
  const pool = new Set(campaign.offerPool);
  const offered = new Set(offers.filter((o) => pool.has(o.offerId)).map((o) => o.productId));
  const state: ResultsState = structuredClone(current.state);
  const windowMs = state.windowDays * DAY_MS;
  const day = (at: string) => {
    const key = toLocalDate(at, timeZone);
    state.days[key] ??= { ...EMPTY_DAY };
    return state.days[key];
  };
  do {
    await Promise.all(
      state.shards.map(async (shard, index) => {
        if (!shard.sendsDone) {
          const page = await deps.outcomes.sends(clubId, campaignId, index, shard.sends);
          const sent = page.mails.filter((m) => SENT_STATES.has(m.state) && m.sentAt);
          for (const mail of sent) {
            state.counts.sent += 1;
            if (mail.state === 'bounced') state.counts.bounced += 1;
            if (mail.state === 'complained') state.counts.complained += 1;
            if (mail.sentAt) day(mail.sentAt).sent += 1;
            if (mail.clickedAt) {
              state.counts.clicked += 1;
              day(mail.clickedAt).clicked += 1;
            }
          }
          const found = await outcomesOf(
            deps,
            clubId,
            sent.map((m) => ({ memberId: m.memberId, from: m.sentAt ?? '' })),
            offered,
            windowMs,
          );
          for (const outcome of found) {
            if (outcome.unsubscribedAt) {
              state.counts.unsubscribed += 1;
              day(outcome.unsubscribedAt).unsubscribed += 1;
            }
            if (outcome.convertedAt) {
              state.counts.converted += 1;
              day(outcome.convertedAt).converted += 1;
            }
          }
          if (page.cursor) shard.sends = page.cursor;
          else {
            delete shard.sends;
            shard.sendsDone = true;
          }
          return;
        }
        if (shard.holdoutsDone) return;
        const page = await deps.outcomes.holdouts(clubId, campaignId, index, shard.holdouts);
        state.counts.planned += page.planned;
        state.counts.holdout += page.members.length;
        const found = await outcomesOf(
          deps,
          clubId,
          page.members.map((m) => ({ memberId: m.memberId, from: m.decidedAt })),
          offered,
          windowMs,
        );
        for (const outcome of found) {
          if (outcome.unsubscribedAt) state.counts.holdoutUnsubscribed += 1;
          if (outcome.convertedAt) {
            state.counts.holdoutConverted += 1;
            day(outcome.convertedAt).holdoutConverted += 1;
          }
        }
        if (page.cursor) shard.holdouts = page.cursor;
        else {
          delete shard.holdouts;
          shard.holdoutsDone = true;
        }
      }),
    );
  } while (Date.now() - began < options.budgetMs && state.shards.some((s) => !s.sendsDone || !s.holdoutsDone));
  if (state.shards.every((s) => s.sendsDone && s.holdoutsDone)) state.finishedAt = deps.clock.now().toISOString();
  const next: SnapshotHeader = { ...current.header, version: current.header.version + 1, state };
  if ((await deps.snapshots.putHeader(next, current.header.version)) === 'changed')
    return readResults(deps, clubId, campaignId);
  return { header: next, state };
}
