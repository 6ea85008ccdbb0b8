import type { Deps } from '../lambdas/app/deps.js';
import { RECEIPT_RETENTION_DAYS } from '../lambdas/app/ingest-purchases.js';
import type { Receipt } from '../lambdas/core/ports.js';
import type { DemoClub } from './demo-club.js';

/** Write a demo club into the stores, through the same adapters the handlers use. */
export async function seedDemo(deps: Pick<Deps, 'clubs' | 'members' | 'purchases' | 'popularity'>, demo: DemoClub): Promise<void> {
  await deps.clubs.putClub(demo.club);
  await deps.clubs.putProducts(demo.club.clubId, demo.products);
  await deps.clubs.putOffers(demo.club.clubId, demo.offers);
  for (const member of demo.members) {
    await deps.members.putMember(member);
    const profile = demo.profiles.get(member.memberId);
    if (profile) await deps.members.putProfile(demo.club.clubId, member.memberId, profile);
  }
  // The receipts behind the profiles, kept as an ingest would keep them.
  const receipts = new Map<string, Receipt>();
  for (const line of demo.purchases) {
    if (!demo.profiles.has(line.memberId)) continue;
    const receipt = receipts.get(line.receiptId);
    const items = [...(receipt?.items ?? []), { productId: line.productId, quantity: 1 }];
    receipts.set(line.receiptId, { receiptId: line.receiptId, memberId: line.memberId, at: line.at, items });
  }
  const expiresAt = new Date(Date.now() + RECEIPT_RETENTION_DAYS * 86_400_000);
  await Promise.all([...receipts.values()].map((receipt) => deps.purchases.putReceipt(demo.club.clubId, receipt, expiresAt)));
  // Club-wide popularity, counted in trips as an ingest of these receipts would count it.
  const trips = new Map<string, number>();
  for (const receipt of receipts.values()) {
    for (const productId of new Set(receipt.items.map((i) => i.productId))) trips.set(productId, (trips.get(productId) ?? 0) + 1);
  }
  await deps.popularity.add(demo.club.clubId, trips);
}
