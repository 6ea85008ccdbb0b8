import type { Deps } from '../lambdas/app/deps.js';
import type { DemoClub } from './demo-club.js';

/** Write a demo club into the stores, through the same adapters the handlers use. */
export async function seedDemo(deps: Pick<Deps, 'clubs' | 'members' | 'popularity'>, demo: DemoClub): Promise<void> {
  await deps.clubs.putClub(demo.club);
  await deps.clubs.putProducts(demo.club.clubId, demo.products);
  await deps.clubs.putOffers(demo.club.clubId, demo.offers);
  // Club-wide popularity, as ingesting the members' receipts would have counted it.
  const trips = new Map<string, number>();
  for (const profile of demo.profiles.values()) {
    for (const [productId, stats] of Object.entries(profile.products)) trips.set(productId, (trips.get(productId) ?? 0) + stats.count);
  }
  await deps.popularity.add(demo.club.clubId, trips);
  for (const member of demo.members) {
    await deps.members.putMember(member);
    const profile = demo.profiles.get(member.memberId);
    if (profile) await deps.members.putProfile(demo.club.clubId, member.memberId, profile);
  }
}
