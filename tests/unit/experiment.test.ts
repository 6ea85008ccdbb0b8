import { describe, expect, it } from 'vitest';
import { CONSERVATIVE_BUDGET, DEFAULT_BUDGET } from '../../lambdas/core/budget.js';
import type { DecideInput, Decision } from '../../lambdas/core/decision.js';
import { CONSERVATIVE_ENGAGEMENT, DEFAULT_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import {
  armAt,
  assignmentFor,
  drawOf,
  Experiment,
  ExperimentInput,
  type MemberArm,
  memberArm,
} from '../../lambdas/core/experiment.js';
import { decideInArm } from '../../lambdas/core/experiment-decision.js';
import { EMPTY_LEDGER, type Ledger } from '../../lambdas/core/ledger.js';
import { aCampaign, aMember, anOffer, aProfile, CATALOG, DAY_MS, NOW } from './fixtures.js';

const experiment = (shares: readonly [number, number, number]) =>
  Experiment.parse({
    clubId: 'club-1',
    experimentId: 'leaving-2027',
    status: 'running',
    arms: [
      { armId: 'budget', share: shares[0], policy: { type: 'club-budget' } },
      { armId: 'fixed', share: shares[1], policy: { type: 'fixed-cap', windows: [{ days: 7, max: 2 }] } },
      { armId: 'control', share: shares[2], policy: { type: 'no-campaign-mail' } },
    ],
    readableAfter: { minMembersPerArm: 1000, minMonths: 3 },
    startedAt: '2027-01-01T00:00:00.000Z',
    updatedAt: '2027-01-01T00:00:00.000Z',
  });

const ids = Array.from({ length: 10_000 }, (_, i) => `m${i}`);

describe('experiment arms', () => {
  it('puts a member in the same arm on every draw, on every machine', () => {
    const e = experiment([0.45, 0.45, 0.1]);
    for (const id of ids.slice(0, 200)) {
      const once = assignmentFor(e, id, undefined, NOW).assignment;
      const again = assignmentFor(e, id, undefined, new Date(NOW.getTime() + DAY_MS)).assignment;
      expect(again.armId).toBe(once.armId);
      expect(again.draw).toBe(drawOf('club-1', 'leaving-2027', id));
    }
  });

  it('fills the arms in the proportions of their shares', () => {
    const e = experiment([0.45, 0.45, 0.1]);
    const counts = new Map<string, number>();
    for (const id of ids) {
      const arm = assignmentFor(e, id, undefined, NOW).assignment.armId;
      counts.set(arm, (counts.get(arm) ?? 0) + 1);
    }
    // 10,000 draws: the standard error of a 45 % share is 0.5 points, of 10 % 0.3 points.
    expect((counts.get('budget') ?? 0) / ids.length).toBeCloseTo(0.45, 1);
    expect((counts.get('control') ?? 0) / ids.length).toBeGreaterThan(0.09);
    expect((counts.get('control') ?? 0) / ids.length).toBeLessThan(0.11);
  });

  it('keeps a stored arm when the shares change, and draws only new members under the new shares', () => {
    const before = experiment([0.45, 0.45, 0.1]);
    const after = experiment([0.1, 0.8, 0.1]);
    const stored = new Map(ids.map((id) => [id, assignmentFor(before, id, undefined, NOW).assignment]));
    let moved = 0;
    for (const id of ids) {
      const kept = assignmentFor(after, id, stored.get(id), NOW);
      expect(kept.isNew).toBe(false);
      expect(kept.assignment).toEqual(stored.get(id));
      if (assignmentFor(after, id, undefined, NOW).assignment.armId !== stored.get(id)?.armId) moved += 1;
    }
    // Drawn afresh, about a third of the members would have moved: the stored arm is what keeps them.
    expect(moved).toBeGreaterThan(2000);
  });

  it('plans nobody under an arm once the experiment is stopped, or under an arm of another experiment', () => {
    const e = experiment([0.45, 0.45, 0.1]);
    const { assignment } = assignmentFor(e, 'm1', undefined, NOW);
    expect(memberArm(e, assignment)?.armId).toBe(assignment.armId);
    expect(memberArm(Experiment.parse({ ...e, status: 'stopped' }), assignment)).toBeUndefined();
    expect(memberArm(e, { ...assignment, experimentId: 'an-older-one' })).toBeUndefined();
    expect(memberArm(undefined, assignment)).toBeUndefined();
  });

  it('lays the arms end to end: a draw at a boundary belongs to the next arm', () => {
    const arms = [
      { armId: 'a', share: 0.5 },
      { armId: 'b', share: 0.5 },
    ];
    expect(armAt(arms, 0)).toBe('a');
    expect(armAt(arms, 0.4999)).toBe('a');
    expect(armAt(arms, 0.5)).toBe('b');
    expect(armAt(arms, 0.999999)).toBe('b');
  });

  it('refuses shares that do not add up to 1, two control arms and a control group over 10 %', () => {
    const base = { experimentId: 'x', arms: [] as unknown[] };
    const arm = (armId: string, share: number, type = 'club-budget') => ({ armId, share, policy: { type } });
    const issues = (arms: unknown[]) =>
      ExperimentInput.safeParse({ ...base, arms }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues([arm('a', 0.5), arm('b', 0.4)])).toEqual(['arms: the shares add up to 0.9, not 1']);
    expect(issues([arm('a', 0.8), arm('c', 0.1, 'no-campaign-mail'), arm('d', 0.1, 'no-campaign-mail')])).toEqual([
      'arms: at most one arm gets no campaign mail',
    ]);
    expect(issues([arm('a', 0.8), arm('c', 0.2, 'no-campaign-mail')])).toEqual([
      'arms.1.share: a control group without campaign mail is at most 10 % of the members',
    ]);
  });
});

const pool = [CATALOG.spaghetti, CATALOG.sourdough].map((p) => anOffer(p));

function input(overrides: Partial<DecideInput> = {}): DecideInput {
  return {
    member: aMember(),
    profile: {
      ...aProfile({ spaghetti: 6, sourdough: 3 }),
      lastPurchaseAt: new Date(NOW.getTime() - DAY_MS).toISOString(),
    },
    ledger: EMPTY_LEDGER,
    campaign: aCampaign({ offerPool: pool.map((c) => c.offer.offerId) }),
    candidates: pool,
    policy: CONSERVATIVE_BUDGET,
    engagement: CONSERVATIVE_ENGAGEMENT,
    now: NOW,
    ...overrides,
  };
}

const reasonOf = (d: Decision) => (d.outcome === 'suppress' ? d.reason : 'send');
const arm = (policy: MemberArm['policy']): MemberArm => ({ experimentId: 'leaving-2027', armId: 'arm', policy });
const sentDaysAgo = (...days: number[]): Ledger => ({
  version: days.length,
  sends: Object.fromEntries(days.map((d, i) => [`s${i}`, { at: NOW.getTime() - d * DAY_MS, kind: 'offers' as const }])),
});

describe('planning in an experiment arm', () => {
  it('gives the control arm no offers mail, with the reason in Swedish, Danish and English', () => {
    const decision = decideInArm(input(), arm({ type: 'no-campaign-mail' }));
    expect(decision).toMatchObject({ outcome: 'suppress', reason: 'experiment-control' });
    if (decision.outcome !== 'suppress') throw new Error('expected a suppression');
    expect(decision.localized?.sv).toContain('kontrollgrupp');
    expect(decision.localized?.da).toContain('kontrolgruppe');
    expect(decision.localized?.en).toContain('control group');
    expect(decision.message).toBe(decision.localized?.en);
    // A control member the club would not mail anyway keeps that reason.
    const unsubscribed = input({ member: aMember({ subscription: 'unsubscribed' }) });
    expect(reasonOf(decideInArm(unsubscribed, arm({ type: 'no-campaign-mail' })))).toBe('unsubscribed');
  });

  it('gives the control arm no note either, but still asks it in a survey', () => {
    const note = aCampaign({ kind: 'note', offerPool: [], note: noteSpec() });
    expect(
      reasonOf(
        decideInArm(
          { ...input({ campaign: note }), noteMembers: new Set(['member-1']) },
          arm({ type: 'no-campaign-mail' }),
        ),
      ),
    ).toBe('experiment-control');
    const survey = aCampaign({ kind: 'survey', offerPool: [], survey: { type: 'relationship' } });
    const decision = decideInArm(
      { ...input({ campaign: survey }), feedback: feedbackAll() },
      arm({ type: 'no-campaign-mail' }),
    );
    expect(reasonOf(decision)).toBe('send');
  });

  it('holds a fixed-cap arm to its own cap where the club budget would still send', () => {
    const policy = { ...DEFAULT_BUDGET }; // 3 per 7 days, 12 per 30
    const ledger = sentDaysAgo(2, 5);
    const club = { ...input({ ledger, policy, engagement: DEFAULT_ENGAGEMENT }) };
    expect(reasonOf(decideInArm(club, undefined))).toBe('send');
    expect(reasonOf(decideInArm(club, arm({ type: 'club-budget' })))).toBe('send');
    const fixed = arm({ type: 'fixed-cap', windows: [{ days: 7, max: 2 }], minGapHours: 0 });
    expect(reasonOf(decideInArm(club, fixed))).toBe('budget-window');
  });

  it('mails a previous-settings arm under the settings it kept, not the club’s current ones', () => {
    const ledger = sentDaysAgo(1);
    const strict = input({ ledger }); // the club now: at most 1 per 3 days
    expect(reasonOf(decideInArm(strict, undefined))).toBe('budget-window');
    const loose = arm({
      type: 'previous-settings',
      budget: { ...DEFAULT_BUDGET, windows: [{ days: 1, max: 5 }] },
      engagement: CONSERVATIVE_ENGAGEMENT,
    });
    expect(reasonOf(decideInArm(strict, loose))).toBe('send');
  });
});

function noteSpec() {
  return {
    topic: 'queues',
    subject: { sv: 'Ni sa', da: 'I sagde', en: 'You said' },
    headline: { sv: 'Fler kassor', da: 'Flere kasser', en: 'More tills' },
    body: { sv: 'Nu', da: 'Nu', en: 'Now' },
  };
}

function feedbackAll() {
  return {
    relationshipSampleShare: 1,
    caseDueHours: 48,
    caseOwner: 'Service',
    topics: [],
  };
}
