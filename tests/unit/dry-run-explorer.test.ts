import { describe, expect, it } from 'vitest';
import { dryRun, loadDryRunContext } from '../../lambdas/app/dry-run.js';
import {
  advanceExplorer,
  type Explorer,
  explorerPage,
  FIRST_PAGE,
  readExplorer,
} from '../../lambdas/app/dry-run-explorer.js';
import { armAt, drawOf, Experiment } from '../../lambdas/core/experiment.js';
import { MEMBER_SHARDS } from '../../lambdas/core/jobs.js';
import { SuppressReason } from '../../lambdas/core/reasons.js';
import { COPY } from '../../lambdas/http/console/copy/index.js';
import { reasonName } from '../../lambdas/http/console/routes/explorer.js';
import { demoClubOf } from '../support/demo-club-of.js';
import { uniqueId } from '../support/ids.js';

const MEMBERS = 600;

/** A demo club of MEMBERS members (the demo's shoppers cycled) with a draft campaign, on in-memory ports. */
const aClub = () => demoClubOf(MEMBERS, { campaignId: 'draft', status: 'draft', holdoutShare: 0.1 }, 'x');

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

/** Each member's reason as the API's dry-run gives it (which applies each member's experiment arm). */
async function dryRunReasons(
  deps: Parameters<typeof loadDryRunContext>[0] & Parameters<typeof dryRun>[0],
  clubId: string,
) {
  const context = await loadDryRunContext(deps, clubId, 'draft');
  if (!context) throw new Error('no context');
  const expected = await dryRun(deps, context, MEMBERS + 1);
  const byMember = new Map(
    expected.decisions.map((d) => [d.memberId, d.outcome === 'send' ? 'send' : d.reason] as const),
  );
  return { byMember, toSend: expected.decisions.filter((d) => d.outcome === 'send').length };
}

/**
 * Works the draft out a slice at a time with no time to spare (each slice one round, sized by the pace
 * it measured), then again with all the time it wants, and checks both give every member the dry-run's reason.
 */
async function explorerMatchesDryRun(deps: Awaited<ReturnType<typeof aClub>>['deps'], clubId: string) {
  // With no time to spare, a new run reads one first round: FIRST_PAGE members of each shard.
  const first = await advanceExplorer(deps, clubId, 'draft', { budgetMs: 0 });
  if (!first) throw new Error('no explorer');
  expect(first.state.finishedAt).toBeUndefined();
  expect(first.state.tally.planned).toBeGreaterThan(0);
  expect(first.state.tally.planned).toBeLessThanOrEqual(MEMBER_SHARDS * FIRST_PAGE);
  expect(first.state.pace).toBeGreaterThan(0);

  let slices = 1;
  let explorer: Explorer | undefined = first;
  while (explorer && !explorer.state.finishedAt) {
    explorer = await advanceExplorer(deps, clubId, 'draft', { budgetMs: 0 });
    slices += 1;
  }
  if (!explorer) throw new Error('no explorer');
  expect(explorer.state.tally.planned).toBe(MEMBERS);
  expect(slices).toBeGreaterThan(2);

  const expected = await dryRunReasons(deps, clubId);
  const reasons = await reasonsIn(deps, explorer);
  expect(reasons).toEqual(expected.byMember);
  expect(explorer.state.tally.toSend).toBe(expected.toSend);

  // Worked out again with all the time it wants: the same tally and rows.
  let again = await advanceExplorer(deps, clubId, 'draft', { budgetMs: 60_000, restart: true });
  while (again && !again.state.finishedAt) again = await advanceExplorer(deps, clubId, 'draft', { budgetMs: 60_000 });
  if (!again) throw new Error('no explorer');
  expect(again.header.runId).not.toBe(explorer.header.runId);
  expect(again.state.tally).toEqual(explorer.state.tally);
  expect(await reasonsIn(deps, again)).toEqual(expected.byMember);
  expect((await readExplorer(deps, clubId, 'draft'))?.state.finishedAt).toBeDefined();
  return { explorer: again, reasons };
}

/** Every member's stored experiment assignments, read through the member shards. */
async function storedAssignments(deps: Awaited<ReturnType<typeof aClub>>['deps'], clubId: string) {
  const found = new Map<string, string[]>();
  for (let shard = 0; shard < MEMBER_SHARDS; shard++) {
    let cursor: string | undefined;
    do {
      const page = await deps.members.listShard(clubId, shard, cursor, 100);
      for (const state of page.states)
        if (state.assignments?.length)
          found.set(
            state.member.memberId,
            state.assignments.map((a) => a.armId),
          );
      cursor = page.cursor;
    } while (cursor);
  }
  return found;
}

describe('the dry-run explorer, a slice at a time', () => {
  it('answers a first slice from a small first round, and ends with every member as the dry-run decides them, however the slices fall', async () => {
    const { deps, clubId } = await aClub();
    await explorerMatchesDryRun(deps, clubId);
  });

  it('decides each member under their arm of a running experiment, as the dry-run does, and stores no arm', async () => {
    const { deps, clubId, now } = await aClub();
    const before = await dryRunReasons(deps, clubId);
    const experiment = Experiment.parse({
      clubId,
      experimentId: uniqueId('exp'),
      status: 'running',
      arms: [
        { armId: 'budget', share: 0.6, policy: { type: 'club-budget' } },
        // A cap of none: every member of this arm the club's budget would mail is over it.
        { armId: 'fixed', share: 0.3, policy: { type: 'fixed-cap', windows: [{ days: 30, max: 0 }] } },
        { armId: 'control', share: 0.1, policy: { type: 'no-campaign-mail' } },
      ],
      readableAfter: { minMembersPerArm: 5, minMonths: 1 },
      startedAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    await deps.experiments.put(experiment);
    // A member the club would mail, whose draw falls in the club-budget arm, was stored in the control arm
    // by an earlier plan: the stored arm is the one that counts.
    const kept = [...before.byMember].find(
      ([id, reason]) =>
        reason === 'send' && armAt(experiment.arms, drawOf(clubId, experiment.experimentId, id)) === 'budget',
    )?.[0];
    if (!kept) throw new Error('no member to keep in the control arm');
    await deps.experiments.assign(clubId, kept, {
      experimentId: experiment.experimentId,
      armId: 'control',
      assignedAt: now.toISOString(),
      draw: drawOf(clubId, experiment.experimentId, kept),
    });
    const { explorer, reasons } = await explorerMatchesDryRun(deps, clubId);

    // The arms changed who gets the mail: the control arm is held, the fixed cap's members are over it.
    expect(explorer.state.tally.suppressed['experiment-control']).toBeGreaterThan(0);
    const heldOrCapped = [...reasons].filter(([id, reason]) => before.byMember.get(id) === 'send' && reason !== 'send');
    expect(heldOrCapped.some(([, reason]) => reason === 'experiment-control')).toBe(true);
    expect(heldOrCapped.some(([, reason]) => reason === 'budget-window')).toBe(true);
    expect(explorer.state.tally.toSend).toBeLessThan(before.toSend);
    // Worked out with `store: false`: no other member was given an arm.
    expect(reasons.get(kept)).toBe('experiment-control');
    expect(await storedAssignments(deps, clubId)).toEqual(new Map([[kept, ['control']]]));
  });

  it("names the experiment's control group in the explorer's table in every language of the console", () => {
    const names = Object.values(COPY).map((copy) => reasonName(copy, new Map(), 'experiment-control'));
    for (const name of names) expect(name).not.toBe('experiment-control');
    expect(new Set(names).size).toBe(names.length);
  });

  it('names every reason the planner gives, and the campaign of an outranked or folded one, in every language', () => {
    const campaigns = new Map([['big-week', 'Big week']]);
    for (const [language, copy] of Object.entries(COPY)) {
      for (const reason of SuppressReason.options) {
        expect(reasonName(copy, campaigns, reason), `${language}: ${reason}`).not.toBe(reason);
      }
      for (const reason of ['outranked-by:big-week', 'folded-into:big-week']) {
        const name = reasonName(copy, campaigns, reason);
        expect(name, `${language}: ${reason}`).toMatch(/: Big week$/);
        expect(name).not.toContain(reason.split(':')[0]);
      }
    }
  });
});
