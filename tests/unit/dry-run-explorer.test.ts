import { describe, expect, it } from 'vitest';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { dryRun, loadDryRunContext } from '../../lambdas/app/dry-run.js';
import {
  advanceExplorer,
  type Explorer,
  explorerPage,
  FIRST_PAGE,
  readExplorer,
} from '../../lambdas/app/dry-run-explorer.js';
import { MEMBER_SHARDS } from '../../lambdas/core/jobs.js';
import type { Campaign } from '../../lambdas/core/model.js';
import { memoryDeps } from '../../lambdas/runtime/memory-deps.js';
import { uniqueId } from '../support/ids.js';

const MEMBERS = 600;
const DAY = 86_400_000;

/** A demo club of MEMBERS members (the demo's shoppers cycled) with a draft campaign, on in-memory ports. */
async function aClub() {
  const system = memoryDeps();
  const now = system.clock.now();
  const demo = demoGroceryClub(now, 7, uniqueId('ex'));
  const members = Array.from({ length: MEMBERS }, (_, i) => {
    const source = demo.members[i % demo.members.length];
    if (!source) throw new Error('no demo member');
    return { ...source, memberId: `x${i}`, email: `x${i}@club.example` };
  });
  const profiles = new Map(
    members.flatMap((m, i) => {
      const profile = demo.profiles.get(demo.members[i % demo.members.length]?.memberId ?? '');
      return profile ? [[m.memberId, profile] as const] : [];
    }),
  );
  await seedDemo(system.deps, { ...demo, members, profiles });
  const campaign: Campaign = {
    clubId: demo.club.clubId,
    campaignId: 'draft',
    name: 'Helgens frukost',
    theme: 'community',
    offerPool: demo.offers.map((o) => o.offerId),
    offersPerMail: 3,
    kind: 'offers',
    priority: 1,
    holdoutShare: 0.1,
    brandFitOverride: false,
    sendAt: new Date(now.getTime() + 2 * DAY).toISOString(),
    status: 'draft',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    approval: { state: 'none' },
  };
  await system.deps.campaigns.createCampaign(campaign);
  return { deps: system.deps, clubId: demo.club.clubId };
}

/** Every member's reason in the explorer's stored rows, read back through the table's pages. */
async function reasonsIn(deps: Parameters<typeof explorerPage>[0], explorer: Explorer): Promise<Map<string, string>> {
  const reasons = ['send', ...Object.keys(explorer.state.tally.suppressed)];
  const found = new Map<string, string>();
  let cursor: Parameters<typeof explorerPage>[3];
  do {
    const page = await explorerPage(deps, explorer.header, reasons, cursor, 37);
    for (const row of page.rows) {
      expect(found.has(row.memberId)).toBe(false);
      found.set(row.memberId, row.reason);
    }
    cursor = page.next;
  } while (cursor);
  return found;
}

describe('the dry-run explorer, a slice at a time', () => {
  it('answers a first slice from a small first round, and ends with every member as the dry-run decides them, however the slices fall', async () => {
    const { deps, clubId } = await aClub();
    // With no time to spare, a new run reads one first round: FIRST_PAGE members of each shard.
    const first = await advanceExplorer(deps, clubId, 'draft', { budgetMs: 0 });
    if (!first) throw new Error('no explorer');
    expect(first.state.finishedAt).toBeUndefined();
    expect(first.state.tally.planned).toBeGreaterThan(0);
    expect(first.state.tally.planned).toBeLessThanOrEqual(MEMBER_SHARDS * FIRST_PAGE);
    expect(first.state.pace).toBeGreaterThan(0);

    // No time at all: each slice still reads one round, sized by the pace it measured.
    let slices = 1;
    let explorer: Explorer | undefined = first;
    while (explorer && !explorer.state.finishedAt) {
      explorer = await advanceExplorer(deps, clubId, 'draft', { budgetMs: 0 });
      slices += 1;
    }
    if (!explorer) throw new Error('no explorer');
    expect(explorer.state.tally.planned).toBe(MEMBERS);
    expect(slices).toBeGreaterThan(2);

    const context = await loadDryRunContext(deps, clubId, 'draft');
    if (!context) throw new Error('no context');
    const expected = await dryRun(deps, context, MEMBERS + 1);
    const byMember = new Map(
      expected.decisions.map((d) => [d.memberId, d.outcome === 'send' ? 'send' : d.reason] as const),
    );
    expect(await reasonsIn(deps, explorer)).toEqual(byMember);
    expect(explorer.state.tally.toSend).toBe(expected.decisions.filter((d) => d.outcome === 'send').length);

    // Worked out again with all the time it wants: the same tally and rows.
    let again = await advanceExplorer(deps, clubId, 'draft', { budgetMs: 60_000, restart: true });
    while (again && !again.state.finishedAt) again = await advanceExplorer(deps, clubId, 'draft', { budgetMs: 60_000 });
    if (!again) throw new Error('no explorer');
    expect(again.header.runId).not.toBe(explorer.header.runId);
    expect(again.state.tally).toEqual(explorer.state.tally);
    expect(await reasonsIn(deps, again)).toEqual(byMember);
    expect((await readExplorer(deps, clubId, 'draft'))?.state.finishedAt).toBeDefined();
  });
});
