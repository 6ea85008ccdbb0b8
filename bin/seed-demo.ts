import type { Deps } from '../lambdas/app/deps.js';
import { countTrips, ReceiptGrouper } from '../lambdas/core/receipts.js';
import type { DemoClub } from './demo-club.js';

/** Write a demo club into the stores, through the same adapters the handlers use. */
export async function seedDemo(
  deps: Pick<Deps, 'clubs' | 'members' | 'purchases' | 'popularity' | 'receiptArchive' | 'clock'>,
  demo: DemoClub,
): Promise<void> {
  await deps.clubs.putClub(demo.club);
  await deps.clubs.putProducts(demo.club.clubId, demo.products);
  await deps.clubs.putOffers(demo.club.clubId, demo.offers);
  for (const member of demo.members) {
    await deps.members.putMember(member);
    const profile = demo.profiles.get(member.memberId);
    if (profile) await deps.members.putProfile(demo.club.clubId, member.memberId, profile);
  }
  // The receipts behind the profiles, kept and counted as an ingest would.
  const grouper = new ReceiptGrouper(false);
  for (const line of demo.purchases)
    if (demo.profiles.has(line.memberId)) grouper.add([{ ...line, quantity: 1, sourceLine: 1 }]);
  const receipts = grouper.receiptList();
  await deps.purchases.putReceipts(demo.club.clubId, receipts);
  // And archived, as every stored receipt is: the nightly model fit's input (docs/decisions/0026-receipt-archive.md).
  await deps.receiptArchive.append(demo.club.clubId, receipts, deps.clock.now());
  const trips = new Map<string, number>();
  for (const receipt of receipts) countTrips(receipt, trips);
  await deps.popularity.add(demo.club.clubId, trips);
}
