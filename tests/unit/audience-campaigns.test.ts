import { describe, expect, it } from 'vitest';
import { plannedAudience } from '../../lambdas/app/campaign-context.js';
import type { SavedAudience } from '../../lambdas/core/audience.js';
import { DEFAULT_BUDGET } from '../../lambdas/core/budget.js';
import { type CampaignDecisionInput, decideCampaign } from '../../lambdas/core/campaign-decision.js';
import type { Decision } from '../../lambdas/core/decision.js';
import { EMPTY_LEDGER } from '../../lambdas/core/ledger.js';
import { addTallies, tallyOf } from '../../lambdas/core/plan-tally.js';
import { EMPTY_PROFILE } from '../../lambdas/core/profile.js';
import { FeedbackSettings } from '../../lambdas/core/survey.js';
import { aCampaign, aClub, aMember, NOW } from './fixtures.js';

const club = aClub({ attributes: [{ name: 'home_store', type: 'enum', values: ['uppsala', 'lund'] }] });
const uppsala: SavedAudience = {
  clubId: club.clubId,
  audienceId: 'uppsala',
  name: 'Uppsala',
  description: '',
  rule: { rule: 'attribute', name: 'home_store', equals: 'uppsala' },
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
};
const audience = plannedAudience(club, 'uppsala', [uppsala], () => {});
const inUppsala = aMember({ clubId: club.clubId, attributes: { home_store: 'uppsala' } });
const inLund = aMember({ clubId: club.clubId, attributes: { home_store: 'lund' } });

function input(overrides: Partial<CampaignDecisionInput>): CampaignDecisionInput {
  return {
    member: inUppsala,
    profile: EMPTY_PROFILE,
    ledger: EMPTY_LEDGER,
    campaign: aCampaign({ clubId: club.clubId }),
    candidates: [],
    policy: DEFAULT_BUDGET,
    feedback: FeedbackSettings.parse({ relationshipSampleShare: 1 }),
    audience,
    now: NOW,
    ...overrides,
  };
}

const reasonOf = (d: Decision) => (d.outcome === 'suppress' ? d.reason : 'send');

describe('a saved audience on each kind of campaign', () => {
  it('asks only the members of a survey’s audience, and says not-in-audience before any other reason', () => {
    const survey = aCampaign({ clubId: club.clubId, kind: 'survey', offerPool: [], survey: { type: 'relationship' } });
    expect(reasonOf(decideCampaign(input({ campaign: survey })))).toBe('send');
    expect(reasonOf(decideCampaign(input({ campaign: survey, member: inLund })))).toBe('not-in-audience');
    const unsubscribedLund = { ...inLund, subscription: 'unsubscribed' as const };
    expect(reasonOf(decideCampaign(input({ campaign: survey, member: unsubscribedLund })))).toBe('not-in-audience');
    expect(reasonOf(decideCampaign(input({ campaign: survey, audience: undefined, member: inLund })))).toBe('send');
  });

  it('sends a note only to members both of its topic and of its saved audience', () => {
    const note = aCampaign({
      clubId: club.clubId,
      kind: 'note',
      offerPool: [],
      note: {
        topic: 'queues',
        subject: { sv: 'Kortare köer', da: 'Kortere køer', en: 'Shorter queues' },
        headline: { sv: 'Ni sa, vi gjorde', da: 'I sagde, vi gjorde', en: 'You said, we did' },
        body: { sv: 'Fler kassor.', da: 'Flere kasser.', en: 'More tills.' },
      },
    });
    const noteMembers = new Set([inUppsala.memberId]);
    expect(reasonOf(decideCampaign(input({ campaign: note, noteMembers })))).toBe('send');
    expect(reasonOf(decideCampaign(input({ campaign: note, noteMembers, member: inLund })))).toBe('not-in-audience');
    expect(reasonOf(decideCampaign(input({ campaign: note, noteMembers: new Set() })))).toBe('not-in-audience');
  });

  it('matches nobody when the named audience is gone, and says so once', () => {
    let missing = 0;
    const gone = plannedAudience(club, 'deleted', [uppsala], () => {
      missing += 1;
    });
    expect(missing).toBe(1);
    expect(reasonOf(decideCampaign(input({ audience: gone })))).toBe('not-in-audience');
  });
});

describe('the plan tallies', () => {
  it('count not-in-audience like any reason and list it first, in each shard and summed over shards', () => {
    const suppress = (memberId: string, reason: 'holdout' | 'not-in-audience' | 'unsubscribed'): Decision => ({
      outcome: 'suppress',
      memberId,
      reason,
      message: reason,
    });
    const one = tallyOf([suppress('a', 'holdout'), suppress('b', 'unsubscribed'), suppress('c', 'not-in-audience')]);
    expect(Object.keys(one.suppressed)).toEqual(['not-in-audience', 'unsubscribed', 'holdout']);
    const other = tallyOf([suppress('d', 'holdout'), suppress('e', 'holdout')]);
    const later = tallyOf([suppress('f', 'not-in-audience')]);
    const sum = addTallies(addTallies(other, later), one);
    expect(sum.planned).toBe(6);
    expect(sum.suppressed).toEqual({ 'not-in-audience': 2, unsubscribed: 1, holdout: 3 });
    expect(Object.keys(sum.suppressed)[0]).toBe('not-in-audience');
  });
});
