import { AthenaClient } from '@aws-sdk/client-athena';
import { describe, expect, it } from 'vitest';
import { AthenaQueryResults } from '../../lambdas/adapters/athena-query-results.js';
import { Experiment } from '../../lambdas/core/experiment.js';
import { createFitModelHandler } from '../../lambdas/handlers/fit-model.js';
import { memoryDeps } from '../../lambdas/runtime/memory-deps.js';
import { uniqueId } from '../support/ids.js';
import { aClub, aMember } from './fixtures.js';

const NOW = new Date('2027-03-17T12:00:00.000Z');

async function clubWith(deps: ReturnType<typeof memoryDeps>['deps'], status: 'running' | 'stopped' | 'none') {
  const clubId = uniqueId('club');
  await deps.clubs.putClub(aClub({ clubId }));
  for (let i = 0; i < 12; i++) await deps.members.putMember(aMember({ clubId, memberId: `m${i}` }));
  const receipt = { receiptId: 'r1', memberId: 'm1', at: '2027-02-01T10:00:00.000Z', items: [] };
  await deps.receiptArchive.append(clubId, [receipt], NOW);
  if (status !== 'none')
    await deps.experiments.put(
      Experiment.parse({
        clubId,
        experimentId: 'leaving-2027',
        status,
        arms: [
          { armId: 'budget', share: 0.5, policy: { type: 'club-budget' } },
          { armId: 'fixed', share: 0.5, policy: { type: 'fixed-cap', windows: [{ days: 7, max: 2 }] } },
        ],
        readableAfter: { minMembersPerArm: 5, minMonths: 1 },
        startedAt: '2027-01-10T00:00:00.000Z',
        updatedAt: '2027-01-10T00:00:00.000Z',
      }),
    );
  return clubId;
}

describe('the fit function’s nightly count steps (as the fit workflow calls them)', () => {
  it('lists only the clubs with a running experiment, and counts one a call at a time until it is done', async () => {
    const system = memoryDeps();
    system.clock.set(NOW);
    const { deps } = system;
    const running = await clubWith(deps, 'running');
    const stopped = await clubWith(deps, 'stopped');
    const without = await clubWith(deps, 'none');
    // A budget of 0 ms: one step per call, as a count of a large club takes many calls.
    const handler = createFitModelHandler(deps, new AthenaQueryResults(new AthenaClient({ region: 'eu-north-1' })), 0);

    const listed = await handler({ step: 'experiments' });
    expect(listed).toEqual({ clubs: [{ clubId: running, calls: 0 }] });
    expect(JSON.stringify(listed)).not.toContain(stopped);
    expect(JSON.stringify(listed)).not.toContain(without);

    let state = { clubId: running, calls: 0, counting: true };
    while (state.counting && state.calls < 1000)
      state = (await handler({ step: 'count', clubId: state.clubId, calls: state.calls })) as typeof state;
    expect(state.counting).toBe(false);
    expect(state.calls).toBeGreaterThan(2);
    const count = await deps.experiments.getCount(running);
    expect(count?.run).toBeUndefined();
    expect(count?.last).toMatchObject({ experimentId: 'leaving-2027', countedAt: NOW.toISOString() });
    expect(count?.last?.months.map((m) => m.month)).toEqual(['2027-01', '2027-02', '2027-03']);

    await expect(handler({ step: 'count', clubId: running })).rejects.toThrow();
  });
});
