import type { Deps } from '../lambdas/app/deps.js';
import { countTrips, RECEIPT_RETENTION_DAYS, receiptsByMember } from '../lambdas/app/ingest-purchases.js';
import type { DemoClub } from './demo-club.js';

/** Write a demo club into the stores, through the same adapters the handlers use. */
export async function seedDemo(
  deps: Pick<Deps, 'clubs' | 'members' | 'purchases' | 'popularity' | 'receiptArchive'>,
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
  const withProfile = demo.purchases
    .filter((line) => demo.profiles.has(line.memberId))
    .map((line) => ({ ...line, quantity: 1 }));
  const receipts = [...receiptsByMember(withProfile).values()].flatMap((perMember) => [...perMember.values()]);
  const expiresAt = new Date(Date.now() + RECEIPT_RETENTION_DAYS * 86_400_000);
  await Promise.all(receipts.map((receipt) => deps.purchases.putReceipt(demo.club.clubId, receipt, expiresAt)));
  await deps.receiptArchive.append(demo.club.clubId, receipts, new Date());
  const trips = new Map<string, number>();
  for (const receipt of receipts) countTrips(receipt, trips);
  await deps.popularity.add(demo.club.clubId, trips);
}
