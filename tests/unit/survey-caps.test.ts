import { describe, expect, it } from 'vitest';
import { BudgetPolicy, checkBudget, DEFAULT_BUDGET } from '../../lambdas/core/budget.js';
import { type CampaignDecisionInput, decideCampaign } from '../../lambdas/core/campaign-decision.js';
import type { Decision } from '../../lambdas/core/decision.js';
import { claimSend, EMPTY_LEDGER, type Ledger } from '../../lambdas/core/ledger.js';
import { EMPTY_PROFILE } from '../../lambdas/core/profile.js';
import { FeedbackSettings, inSurveySample } from '../../lambdas/core/survey.js';
import { aCampaign, aMember, DAY_MS, HOUR_MS, NOW } from './fixtures.js';

const ago = (days: number) => NOW.getTime() - days * DAY_MS;

const ledgerOf = (sends: Array<{ days: number; kind: 'offers' | 'survey' }>, serviceCaseDays?: number): Ledger => ({
  version: sends.length + 1,
  sends: Object.fromEntries(sends.map((s, i) => [`s${i}`, { at: ago(s.days), kind: s.kind }])),
  ...(serviceCaseDays === undefined ? {} : { serviceCaseAt: ago(serviceCaseDays) }),
});

const survey = aCampaign({ campaignId: 'nps-q2', kind: 'survey', offerPool: [], survey: { type: 'relationship' } });
const everyone = FeedbackSettings.parse({ relationshipSampleShare: 1 });

function input(overrides: Partial<CampaignDecisionInput> = {}): CampaignDecisionInput {
  return {
    member: aMember(),
    profile: EMPTY_PROFILE,
    ledger: EMPTY_LEDGER,
    campaign: survey,
    candidates: [],
    policy: DEFAULT_BUDGET,
    feedback: everyone,
    now: NOW,
    ...overrides,
  };
}

const reasonOf = (d: Decision) => (d.outcome === 'suppress' ? d.reason : 'send');

describe('the survey caps, as club settings', () => {
  it('allow at most two surveys a year, each at least 90 days apart, by default', () => {
    expect(DEFAULT_BUDGET).toMatchObject({
      surveysPerYear: 2,
      surveyMinDaysApart: 90,
      surveyHoldDaysAfterServiceCase: 14,
    });
    const survey = (days: number[]) =>
      checkBudget(days.map(ago), NOW, DEFAULT_BUDGET, 'club-default', { kind: 'survey', surveySentAt: days.map(ago) });
    expect(survey([100, 200])).toMatchObject({ ok: false, reason: 'survey-cap' });
    expect(survey([89])).toMatchObject({
      ok: false,
      reason: 'survey-gap',
      message: "The member's last survey was 89 days ago; surveys are at least 90 days apart.",
    });
    expect(survey([90])).toEqual({ ok: true });
    expect(survey([100, 366])).toEqual({ ok: true });
  });

  it('hold surveys back for 14 days after a complaint or service case', () => {
    const check = (serviceCaseAt: number) =>
      checkBudget([], NOW, DEFAULT_BUDGET, 'club-default', { kind: 'survey', serviceCaseAt });
    expect(check(ago(13))).toMatchObject({ ok: false, reason: 'recent-service-case' });
    expect(check(ago(15))).toEqual({ ok: true });
    // Offers mail is not held back by a service case.
    expect(checkBudget([], NOW, DEFAULT_BUDGET, 'club-default', { serviceCaseAt: ago(1) })).toEqual({ ok: true });
  });

  it('are settings: a club may ask more often or less', () => {
    const often = BudgetPolicy.parse({ windows: [{ days: 7, max: 3 }], surveysPerYear: 4, surveyMinDaysApart: 30 });
    const at = [40, 80, 120].map(ago);
    expect(checkBudget(at, NOW, often, 'club-default', { kind: 'survey', surveySentAt: at })).toEqual({ ok: true });
  });

  it('leave the offers windows alone: a survey uses none of them, and the windows do not stop a survey', () => {
    const windows = BudgetPolicy.parse({ windows: [{ days: 7, max: 1 }] });
    const surveyed = [ago(2)];
    // A survey two days ago does not use up the week's one offers mail.
    expect(checkBudget(surveyed, NOW, windows, 'club-default', { surveySentAt: surveyed })).toEqual({ ok: true });
    // An offers mail two days ago does not stop a survey…
    expect(checkBudget([ago(2)], NOW, windows, 'club-default', { kind: 'survey', surveySentAt: [] })).toEqual({
      ok: true,
    });
    // …but the minimum gap is to any mail.
    const gap = { ...windows, minGapHours: 72 };
    expect(checkBudget([ago(2)], NOW, gap, 'club-default', { kind: 'survey', surveySentAt: [] })).toMatchObject({
      ok: false,
      reason: 'min-gap',
    });
  });

  it('hold at send time: the claim refuses a survey too soon after the last or after a service case', () => {
    const claim = (ledger: Ledger) =>
      claimSend(ledger, { sendId: 'x', campaignId: 'nps-q3', kind: 'survey' }, NOW, DEFAULT_BUDGET, 'club-default');
    expect(claim(ledgerOf([{ days: 30, kind: 'survey' }]))).toMatchObject({
      kind: 'over-budget',
      reason: 'survey-gap',
    });
    expect(claim(ledgerOf([], 3))).toMatchObject({ kind: 'over-budget', reason: 'recent-service-case' });
    const claimed = claim(ledgerOf([{ days: 3, kind: 'offers' }], 20));
    expect(claimed.kind).toBe('claimed');
    // The claim keeps the service case it read.
    if (claimed.kind === 'claimed') expect(claimed.next.serviceCaseAt).toBe(ago(20));
  });
});

describe('deciding a survey', () => {
  it('sends to a member in the sample with no survey this year, with no offers', () => {
    const decision = decideCampaign(input());
    expect(decision).toMatchObject({ outcome: 'send', offers: [], message: 'Send the survey.' });
  });

  it('never reaches a member who turned the surveys topic off', () => {
    const member = aMember({ preferences: { topics: ['offers', 'news'] } });
    expect(reasonOf(decideCampaign(input({ member })))).toBe('topic-opt-out');
  });

  it('suppresses with the survey cap, the gap and the service case, each with its own reason', () => {
    const twice = ledgerOf([
      { days: 100, kind: 'survey' },
      { days: 200, kind: 'survey' },
    ]);
    expect(reasonOf(decideCampaign(input({ ledger: twice })))).toBe('survey-cap');
    expect(reasonOf(decideCampaign(input({ ledger: ledgerOf([{ days: 60, kind: 'survey' }]) })))).toBe('survey-gap');
    expect(reasonOf(decideCampaign(input({ ledger: ledgerOf([], 5) })))).toBe('recent-service-case');
  });

  it('asks the club’s share of members in a relationship survey, a different sample in each campaign', () => {
    const feedback = FeedbackSettings.parse({ relationshipSampleShare: 0.25 });
    const ids = Array.from({ length: 2000 }, (_, i) => `m${i}`);
    const asked = (campaignId: string) =>
      ids.filter(
        (memberId) =>
          decideCampaign(input({ feedback, member: aMember({ memberId }), campaign: { ...survey, campaignId } }))
            .outcome === 'send',
      );
    const first = asked('nps-q1');
    expect(first.length / ids.length).toBeGreaterThan(0.21);
    expect(first.length / ids.length).toBeLessThan(0.29);
    expect(first.every((id) => inSurveySample('nps-q1', id, 0.25))).toBe(true);
    const overlap = asked('nps-q2').filter((id) => first.includes(id)).length;
    expect(overlap / first.length).toBeLessThan(0.4);
    const outside = ids.find((id) => !first.includes(id)) ?? '';
    expect(
      decideCampaign(
        input({ feedback, member: aMember({ memberId: outside }), campaign: { ...survey, campaignId: 'nps-q1' } }),
      ),
    ).toMatchObject({ outcome: 'suppress', reason: 'not-in-sample' });
  });

  it('asks after a purchase only once its experience is over, and not about an older one', () => {
    const afterPurchase = aCampaign({
      kind: 'survey',
      offerPool: [],
      survey: { type: 'after-purchase', daysAfter: 2 },
    });
    const bought = (days: number) => ({
      ...EMPTY_PROFILE,
      receipts: 1,
      lastPurchaseAt: new Date(ago(days)).toISOString(),
    });
    const decide = (days?: number) =>
      decideCampaign(input({ campaign: afterPurchase, ...(days === undefined ? {} : { profile: bought(days) }) }));
    expect(decide(2.5)).toMatchObject({ outcome: 'send', message: expect.stringContaining('about the purchase of') });
    expect(reasonOf(decide(1))).toBe('no-purchase-to-ask-about');
    expect(reasonOf(decide(3.5))).toBe('no-purchase-to-ask-about');
    expect(reasonOf(decide())).toBe('no-purchase-to-ask-about');
  });

  it('waits for the end of the member’s quiet hours', () => {
    const night = new Date('2025-06-15T21:30:00.000Z'); // 23:30 in Stockholm
    const decision = decideCampaign(input({ now: night }));
    expect(decision).toMatchObject({ outcome: 'send', notBefore: '2025-06-16T06:00:00.000Z' });
  });

  it('judges the caps when the mail will go, after quiet hours', () => {
    // At 23:30 the last survey is 89 days and 16 hours old; at 08:00 the next morning, 90 days and half an hour.
    const night = new Date('2025-06-15T21:30:00.000Z');
    const lastSurvey = new Date('2025-06-16T06:00:00.000Z').getTime() - 90 * DAY_MS + HOUR_MS / 2;
    const ledger: Ledger = { version: 2, sends: { s: { at: lastSurvey - HOUR_MS, kind: 'survey' } } };
    expect(decideCampaign(input({ now: night, ledger })).outcome).toBe('send');
  });
});

describe('deciding a "you said, we did" note', () => {
  const note = aCampaign({
    kind: 'note',
    offerPool: [],
    note: {
      topic: 'queues',
      subject: { sv: 'Kortare köer', da: 'Kortere køer', en: 'Shorter queues' },
      headline: { sv: 'Ni sa, vi gjorde', da: 'I sagde, vi gjorde', en: 'You said, we did' },
      body: { sv: 'Fler kassor.', da: 'Flere kasser.', en: 'More tills.' },
    },
  });

  it('goes only to the members whose comments raised its topic, as news, under the offers budget', () => {
    const noteMembers = new Set(['member-1']);
    expect(decideCampaign(input({ campaign: note, noteMembers }))).toMatchObject({ outcome: 'send', offers: [] });
    expect(reasonOf(decideCampaign(input({ campaign: note, noteMembers: new Set() })))).toBe('not-in-audience');
    const noNews = aMember({ preferences: { topics: ['offers', 'surveys'] } });
    expect(reasonOf(decideCampaign(input({ campaign: note, noteMembers, member: noNews })))).toBe('topic-opt-out');
    const weekly = BudgetPolicy.parse({ windows: [{ days: 7, max: 1 }] });
    const mailed = ledgerOf([{ days: 2, kind: 'offers' }]);
    expect(reasonOf(decideCampaign(input({ campaign: note, noteMembers, policy: weekly, ledger: mailed })))).toBe(
      'budget-window',
    );
  });
});
