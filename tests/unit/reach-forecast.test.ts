import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { forecastReach, SAMPLE_SIZE } from '../../lambdas/app/reach-forecast.js';
import { armAt, drawOf, Experiment } from '../../lambdas/core/experiment.js';
import { demoClubOf } from '../support/demo-club-of.js';
import { uniqueId } from '../support/ids.js';

const MEMBERS = 300;
const DAY = 86_400_000;

/** A demo club of MEMBERS members (fewer than the forecast's sample, so every member is decided) and one scheduled campaign. */
async function aClub() {
  expect(MEMBERS).toBeLessThan(SAMPLE_SIZE);
  const { deps, clubId, now } = await demoClubOf(
    MEMBERS,
    { campaignId: 'weekend', status: 'scheduled', holdoutShare: 0 },
    'r',
  );
  const club = await deps.clubs.getClub(clubId);
  if (!club) throw new Error('no club');
  const window = { from: now, to: new Date(now.getTime() + 7 * DAY) };
  return { deps, club, now, window };
}

function anExperiment(
  clubId: string,
  now: Date,
  arms: z.input<typeof Experiment>['arms'],
  status: 'running' | 'stopped' = 'running',
) {
  return Experiment.parse({
    clubId,
    experimentId: uniqueId('exp'),
    status,
    arms,
    readableAfter: { minMembersPerArm: 5, minMonths: 1 },
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });
}

/** A fixed cap of no mail at all: every member of the arm the club would mail is over it. */
const NO_MAIL_CAP = { type: 'fixed-cap' as const, windows: [{ days: 30, max: 0 }] };

describe('the reach forecast under a running experiment', () => {
  it('expects no mail from the control arm and none over an arm that allows none, and holds the second back by its budget', async () => {
    const { deps, club, now, window } = await aClub();
    const without = await forecastReach(deps, club, window);
    const before = without.campaigns.get('weekend');
    expect(before?.expected).toBeGreaterThan(MEMBERS / 2);

    const experiment = anExperiment(club.clubId, now, [
      { armId: 'capped', share: 0.9, policy: NO_MAIL_CAP },
      { armId: 'control', share: 0.1, policy: { type: 'no-campaign-mail' } },
    ]);
    await deps.experiments.put(experiment);
    const controlDraws = Array.from({ length: MEMBERS }, (_, i) =>
      armAt(experiment.arms, drawOf(club.clubId, experiment.experimentId, `r${i}`)),
    ).filter((arm) => arm === 'control').length;
    expect(controlDraws).toBeGreaterThan(0);

    const withArms = (await forecastReach(deps, club, window)).campaigns.get('weekend');
    expect(withArms?.expected).toBe(0);
    // The capped arm's members are held back by the budget (their arm's); the control arm's are not "held back".
    expect(withArms?.heldBack).toBeGreaterThan(before?.heldBack ?? 0);
    expect(withArms?.heldBack).toBeLessThan(MEMBERS);

    // A preview of looser club settings changes nothing: no member is planned under the club's rules.
    const looser = { ...club.budget, windows: [{ days: 1, max: 5 }], minGapHours: 0 };
    const preview = await forecastReach(deps, club, window, { budget: looser, engagement: club.engagement });
    expect(preview.campaigns.get('weekend')?.expected).toBe(0);
  });

  it('plans the club-budget arm under the settings a preview proposes, and the other arms under their own', async () => {
    const { deps, club, now, window } = await aClub();
    const experiment = anExperiment(club.clubId, now, [
      { armId: 'budget', share: 0.5, policy: { type: 'club-budget' } },
      { armId: 'capped', share: 0.5, policy: NO_MAIL_CAP },
    ]);
    const clubArm = Array.from({ length: MEMBERS }, (_, i) => `r${i}`).filter(
      (id) => armAt(experiment.arms, drawOf(club.clubId, experiment.experimentId, id)) === 'budget',
    );
    const without = (await forecastReach(deps, club, window)).campaigns.get('weekend')?.expected ?? 0;
    await deps.experiments.put(experiment);
    const expected = (await forecastReach(deps, club, window)).campaigns.get('weekend')?.expected ?? 0;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(without);
    expect(expected).toBeLessThanOrEqual(clubArm.length);

    // The club proposes no mail at all: the club-budget arm gets none, and the capped arm had none.
    const none = { ...club.budget, windows: [{ days: 30, max: 0 }] };
    const preview = await forecastReach(deps, club, window, { budget: none, engagement: club.engagement });
    expect(preview.campaigns.get('weekend')?.expected).toBe(0);
  });

  it('forecasts a stopped experiment as the club without one', async () => {
    const { deps, club, now, window } = await aClub();
    const without = (await forecastReach(deps, club, window)).campaigns.get('weekend');
    expect(without?.expected).toBeGreaterThan(0);
    const stopped = anExperiment(
      club.clubId,
      now,
      [
        { armId: 'capped', share: 0.9, policy: NO_MAIL_CAP },
        { armId: 'control', share: 0.1, policy: { type: 'no-campaign-mail' } },
      ],
      'stopped',
    );
    await deps.experiments.put(stopped);
    expect((await forecastReach(deps, club, window)).campaigns.get('weekend')).toEqual(without);
  });
});
