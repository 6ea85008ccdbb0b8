import { type ClubModel, toClubModel } from '../core/club-model.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { type BasketRecord, fitModel } from '../core/next-basket.js';
import type { Receipt } from '../core/ports.js';
import { DAY_MS } from '../core/units.js';
import type { Deps } from './deps.js';
import { RECEIPT_RETENTION_DAYS } from './ingest-purchases.js';

type FitDeps = Pick<Deps, 'clubs' | 'members' | 'purchases' | 'models' | 'clock' | 'log'>;

/**
 * Fit the club's next-basket model from the receipts it keeps and store it. Each receipt is one
 * basket, in time order per member. Only subscribed members' receipts are used: a member who
 * objected to direct marketing is not processed for it, not even as a statistic (GDPR Art. 21(3)).
 * Targets are the products the club has offers for, which keeps the stored model small.
 *
 * Reads every member's receipts in one pass: the reference the nightly SQL fit is proved equal to
 * (lambdas/app/fit-club-model-sql.ts, docs/decisions/0024-sql-model-fit.md), and a tool for small clubs.
 * No function of the stack calls it.
 */
export async function fitClubModel(deps: FitDeps, clubId: string): Promise<ClubModel> {
  const now = deps.clock.now();
  const oldest = now.getTime() - RECEIPT_RETENTION_DAYS * DAY_MS;
  const records: BasketRecord[] = [];
  for (let shard = 0; shard < MEMBER_SHARDS; shard += 1) {
    let cursor: string | undefined;
    do {
      const page = await deps.members.listShard(clubId, shard, cursor, 100);
      for (const { member } of page.states) {
        if (member.subscription !== 'subscribed') continue;
        records.push(...basketsOf(member.memberId, await deps.purchases.listReceipts(clubId, member.memberId), oldest));
      }
      cursor = page.cursor;
    } while (cursor);
  }
  const { offers } = await deps.clubs.getCatalog(clubId);
  const model = toClubModel(fitModel(records), new Set(offers.map((o) => o.productId)), now);
  await deps.models.put(clubId, model);
  deps.log.info('club model fitted', { clubId, members: model.members, baskets: model.baskets, items: model.items });
  return model;
}

/**
 * One member's receipts as the fit's baskets: those bought at or after `oldest`, in time order, then
 * by receipt id. The SQL fit (lambdas/core/fit-sql.ts) orders them the same way.
 */
export function basketsOf(memberId: string, receipts: readonly Receipt[], oldest: number): BasketRecord[] {
  return receipts
    .filter((r) => Date.parse(r.at) >= oldest)
    .sort(
      (a, b) =>
        Date.parse(a.at) - Date.parse(b.at) || (a.receiptId < b.receiptId ? -1 : a.receiptId > b.receiptId ? 1 : 0),
    )
    .map((r, seq) => ({ memberId, seq, items: r.items.map((i) => i.productId) }));
}
