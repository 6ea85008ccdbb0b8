import type { Deps } from '../lambdas/app/deps.js';
import type { DemoClub } from './demo-club.js';

/** Write a demo club into the stores, through the same adapters the handlers use. */
export async function seedDemo(deps: Pick<Deps, 'clubs' | 'members'>, demo: DemoClub): Promise<void> {
  await deps.clubs.putClub(demo.club);
  await deps.clubs.putProducts(demo.club.clubId, demo.products);
  await deps.clubs.putOffers(demo.club.clubId, demo.offers);
  for (const member of demo.members) {
    await deps.members.putMember(member);
    const profile = demo.profiles.get(member.memberId);
    if (profile) await deps.members.putProfile(demo.club.clubId, member.memberId, profile);
  }
}
