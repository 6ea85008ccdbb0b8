import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import type { Campaign } from '../../lambdas/core/model.js';
import { memoryDeps } from '../../lambdas/runtime/memory-deps.js';
import { uniqueId } from './ids.js';

const DAY_MS = 86_400_000;

/**
 * A demo grocery club of `members` members (the demo's shoppers cycled, each with their profile) and
 * one offers campaign on the whole offer pool, sent in two days, on in-memory ports. Members are
 * `${prefix}0`, `${prefix}1`, …
 */
export async function demoClubOf(
  members: number,
  campaign: Pick<Campaign, 'campaignId' | 'status' | 'holdoutShare'>,
  prefix: string,
) {
  const system = memoryDeps();
  const now = system.clock.now();
  const demo = demoGroceryClub(now, 7, uniqueId(prefix));
  const shoppers = Array.from({ length: members }, (_, i) => {
    const source = demo.members[i % demo.members.length];
    if (!source) throw new Error('no demo member');
    return { ...source, memberId: `${prefix}${i}`, email: `${prefix}${i}@club.example` };
  });
  const profiles = new Map(
    shoppers.flatMap((m, i) => {
      const profile = demo.profiles.get(demo.members[i % demo.members.length]?.memberId ?? '');
      return profile ? [[m.memberId, profile] as const] : [];
    }),
  );
  await seedDemo(system.deps, { ...demo, members: shoppers, profiles });
  await system.deps.campaigns.createCampaign({
    clubId: demo.club.clubId,
    name: 'Helgens frukost',
    theme: 'community',
    offerPool: demo.offers.map((o) => o.offerId),
    offersPerMail: 3,
    kind: 'offers',
    priority: 1,
    brandFitOverride: false,
    sendAt: new Date(now.getTime() + 2 * DAY_MS).toISOString(),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    approval: { state: 'none' },
    ...campaign,
  });
  return { deps: system.deps, clubId: demo.club.clubId, now };
}
