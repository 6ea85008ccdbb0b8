import { describe, expect, it } from 'vitest';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { CONSERVATIVE_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import {
  type ClubDecideInput,
  forecastMember,
  inSendOrder,
  type PlannedCampaign,
} from '../../lambdas/core/forecast.js';
import { EMPTY_LEDGER, type Ledger, sendIdFor } from '../../lambdas/core/ledger.js';
import type { Campaign } from '../../lambdas/core/model.js';
import type { MemberState } from '../../lambdas/core/ports.js';
import { DEFAULT_FEEDBACK } from '../../lambdas/core/survey.js';
import { aCampaign, aMember, anOffer, aProfile, CATALOG, DAY_MS, NOW } from './fixtures.js';

const pool = [CATALOG.spaghetti, CATALOG.sourdough].map((p) => anOffer(p));
const club: ClubDecideInput = { policy: CONSERVATIVE_BUDGET, engagement: CONSERVATIVE_ENGAGEMENT };

/** A member who buys what the pool offers, mailed `mailedDaysAgo` days before NOW (if given). */
function member(mailedDaysAgo?: number): MemberState {
  const ledger: Ledger =
    mailedDaysAgo === undefined
      ? EMPTY_LEDGER
      : { version: 1, sends: { old: { at: NOW.getTime() - mailedDaysAgo * DAY_MS, kind: 'offers' } } };
  return { member: aMember(), profile: aProfile({ spaghetti: 6, sourdough: 3 }), ledger };
}

function planned(campaignId: string, inDays: number, overrides: Partial<Campaign> = {}): PlannedCampaign {
  return {
    campaign: aCampaign({
      campaignId,
      offerPool: pool.map((c) => c.offer.offerId),
      sendAt: new Date(NOW.getTime() + inDays * DAY_MS).toISOString(),
      status: 'scheduled',
      ...overrides,
    }),
    candidates: pool,
  };
}

const outcomeOf = (steps: ReturnType<typeof forecastMember>, campaignId: string) => {
  const decision = steps.find((s) => s.campaignId === campaignId)?.decision;
  return decision?.outcome === 'suppress' ? decision.reason : decision?.outcome;
};

describe('forecast: each campaign judged at its own send time', () => {
  it('lets a member mailed yesterday get a campaign sent years later, where "now" would hold them back', () => {
    const later = planned('in-2030', 5 * 365, { status: 'draft' });
    const steps = forecastMember({
      state: member(1),
      timeline: [later],
      club,
      now: NOW,
      through: Date.parse(later.campaign.sendAt),
    });
    expect(outcomeOf(steps, 'in-2030')).toBe('send');
    expect(steps[0]?.judgedAt.toISOString()).toBe(later.campaign.sendAt);
    // Judged now instead, the same member is over the budget (≤ 1 mail per 3 days).
    const now = planned('now', 0, { status: 'draft' });
    expect(
      outcomeOf(forecastMember({ state: member(1), timeline: [now], club, now: NOW, through: NOW.getTime() }), 'now'),
    ).toBe('budget-window');
  });

  it('counts the mail of a campaign scheduled the day before against the budget of the next', () => {
    const first = planned('first', 10);
    const second = planned('second', 11, { status: 'draft' });
    const timeline = inSendOrder([second, first]);
    const steps = forecastMember({
      state: member(),
      timeline,
      club,
      now: NOW,
      through: Date.parse(second.campaign.sendAt),
    });
    expect(steps.map((s) => s.campaignId)).toEqual(['first', 'second']);
    expect(outcomeOf(steps, 'first')).toBe('send');
    expect(outcomeOf(steps, 'second')).toBe('budget-window');
  });

  it('does not let a draft scheduled earlier take a member budget: only scheduled campaigns send', () => {
    const draft = planned('draft-first', 10, { status: 'draft' });
    const target = planned('target', 11, { status: 'draft' });
    // The caller leaves drafts out of the timeline except the one judged; a draft among rivals is ignored by decide.
    const steps = forecastMember({
      state: member(),
      timeline: inSendOrder([target]),
      club,
      now: NOW,
      through: Date.parse(target.campaign.sendAt),
    });
    expect(outcomeOf(steps, 'target')).toBe('send');
    const withDraftRival = forecastMember({
      state: member(),
      timeline: inSendOrder([target, { ...draft, campaign: { ...draft.campaign, sendAt: target.campaign.sendAt } }]),
      club,
      now: NOW,
      through: Date.parse(target.campaign.sendAt),
    });
    expect(outcomeOf(withDraftRival, 'target')).toBe('send');
  });

  it('lets a more valuable campaign two days later outrank the one judged', () => {
    const judged = planned('regular', 10, { status: 'draft', priority: 1 });
    const big = planned('big', 12, { priority: 3 });
    const steps = forecastMember({
      state: member(),
      timeline: inSendOrder([judged, big]),
      club,
      now: NOW,
      through: Date.parse(judged.campaign.sendAt),
    });
    expect(outcomeOf(steps, 'regular')).toBe('outranked-by:big');
    expect(steps.map((s) => s.campaignId)).toEqual(['regular']);
  });

  it('does not imagine again a mail a running campaign already claimed for the member', () => {
    const running = planned('running', -0.01, { status: 'planning' });
    const target = planned('target', 1, { status: 'draft' });
    const state = member();
    const claimed: MemberState = {
      ...state,
      ledger: {
        version: 1,
        sends: {
          [sendIdFor('club-1', 'running', state.member.memberId)]: { at: NOW.getTime() - 60_000, kind: 'offers' },
        },
      },
    };
    const steps = forecastMember({
      state: claimed,
      timeline: inSendOrder([running, target]),
      club,
      now: NOW,
      through: Date.parse(target.campaign.sendAt),
    });
    expect(steps.map((s) => s.campaignId)).toEqual(['target']);
    expect(outcomeOf(steps, 'target')).toBe('budget-window');
  });
});

describe('forecast: surveys and notes decided as the plan decides them', () => {
  const asked: ClubDecideInput = { ...club, feedback: { ...DEFAULT_FEEDBACK, relationshipSampleShare: 1 } };

  it('asks a member in a survey two days after an offers mail, where an offers campaign is held back by its window', () => {
    const survey = planned('survey', 0, { kind: 'survey', offerPool: [], status: 'draft' });
    const offers = planned('offers', 0, { status: 'draft' });
    const judge = (entry: PlannedCampaign) =>
      outcomeOf(
        forecastMember({ state: member(2), timeline: [entry], club: asked, now: NOW, through: NOW.getTime() }),
        entry.campaign.campaignId,
      );
    expect(judge({ ...survey, candidates: [] })).toBe('send');
    expect(judge(offers)).toBe('budget-window');
  });

  it('lets a survey scheduled before an offers campaign leave the offers budget alone, but not the yearly survey cap', () => {
    const first = { ...planned('survey-1', 1, { kind: 'survey', offerPool: [] }), candidates: [] };
    const offers = planned('offers', 2);
    const second = { ...planned('survey-2', 3, { kind: 'survey', offerPool: [] }), candidates: [] };
    const steps = forecastMember({
      state: member(),
      timeline: inSendOrder([second, offers, first]),
      club: asked,
      now: NOW,
      through: Date.parse(second.campaign.sendAt),
    });
    expect(outcomeOf(steps, 'survey-1')).toBe('send');
    expect(outcomeOf(steps, 'offers')).toBe('send');
    // The first survey went out two days before: the second is within the 90 days between surveys.
    expect(outcomeOf(steps, 'survey-2')).toBe('survey-gap');
  });

  it("mails a note only to its audience, the members whose comments raised the note's topic", () => {
    const note = { ...planned('note', 0, { kind: 'note', offerPool: [], status: 'draft' }), candidates: [] };
    const state = member();
    const judge = (noteMembers: ReadonlySet<string>) =>
      outcomeOf(
        forecastMember({ state, timeline: [{ ...note, noteMembers }], club, now: NOW, through: NOW.getTime() }),
        'note',
      );
    expect(judge(new Set())).toBe('not-in-audience');
    expect(judge(new Set([state.member.memberId]))).toBe('send');
  });
});
