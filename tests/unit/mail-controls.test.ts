import { describe, expect, it } from 'vitest';
import { controlPatch } from '../../lambdas/app/mail-controls.js';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { decideCampaign } from '../../lambdas/core/campaign-decision.js';
import { type DecideInput, type Decision, decide } from '../../lambdas/core/decision.js';
import { CONSERVATIVE_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import { EMPTY_LEDGER } from '../../lambdas/core/ledger.js';
import { type MailOffer, renderMail } from '../../lambdas/core/mail.js';
import {
  CHOICE_REASONS,
  choiceReason,
  FEWER_WEIGHT,
  fewerKeyOf,
  heldBackByWeight,
  MAIL_CONTROLS_COPY,
  MailControl,
  memberWeight,
} from '../../lambdas/core/mail-controls.js';
import { type MemberRecord, planMemberSync } from '../../lambdas/core/member-sync.js';
import { renderSurveyMail } from '../../lambdas/core/survey-mail.js';
import { Language } from '../../lambdas/core/vocabulary.js';
import { aCampaign, aClub, aMember, anOffer, aProfile, CATALOG, DAY_MS, NOW } from './fixtures.js';

const pool = [CATALOG.spaghetti, CATALOG.sourdough].map((p) => anOffer(p));

function input(overrides: Partial<DecideInput> = {}): DecideInput {
  return {
    member: aMember(),
    profile: {
      ...aProfile({ spaghetti: 6, sourdough: 3 }),
      lastPurchaseAt: new Date(NOW.getTime() - DAY_MS).toISOString(),
    },
    ledger: EMPTY_LEDGER,
    campaign: aCampaign({ offerPool: pool.map((c) => c.offer.offerId), theme: 'care' }),
    candidates: pool,
    policy: CONSERVATIVE_BUDGET,
    engagement: CONSERVATIVE_ENGAGEMENT,
    now: NOW,
    ...overrides,
  };
}

const EVERYONE = { relationshipSampleShare: 1, caseDueHours: 48, topics: [] };

const bestScore = (d: Decision) => (d.outcome === 'send' ? (d.offers[0]?.score ?? 0) : 0);

describe('fewer mails like this, in the planner', () => {
  it('halves the value of the theme the member lowered: below the floor the mail is held back with fewer-like-this', () => {
    const before = decide(input());
    expect(before.outcome).toBe('send');
    const best = bestScore(before);
    // A floor between the halved and the full score: the same mail goes to others, not to this member.
    const floor = best * 0.75;
    const campaign = aCampaign({ offerPool: pool.map((c) => c.offer.offerId), theme: 'care', relevanceFloor: floor });
    const lowered = aMember({ preferences: { fewer: ['theme:care'] } });
    expect(decide(input({ campaign })).outcome).toBe('send');
    expect(decide(input({ campaign, member: lowered }))).toMatchObject({
      outcome: 'suppress',
      reason: 'fewer-like-this',
    });
    // Another theme is not lowered.
    const community = { ...campaign, theme: 'community' as const };
    expect(decide(input({ campaign: community, member: lowered })).outcome).toBe('send');
  });

  it('says in a mail that still goes that it was weighted down', () => {
    const lowered = aMember({ preferences: { fewer: ['theme:care'] } });
    const campaign = aCampaign({ offerPool: pool.map((c) => c.offer.offerId), theme: 'care', relevanceFloor: 0 });
    const decision = decide(input({ campaign, member: lowered }));
    expect(decision.outcome).toBe('send');
    expect(decision.message).toContain('fewer mails like this');
  });

  it('keys a mail by its theme, a survey and a note by their topic, and weighs only the lowered key', () => {
    expect(fewerKeyOf({ kind: 'offers', theme: 'care' })).toBe('theme:care');
    expect(fewerKeyOf({ kind: 'survey', theme: 'care' })).toBe('topic:surveys');
    expect(fewerKeyOf({ kind: 'note', theme: 'care' })).toBe('topic:news');
    const member = aMember({ preferences: { fewer: ['theme:care'] } });
    expect(memberWeight(member, { kind: 'offers', theme: 'care' })).toBe(FEWER_WEIGHT);
    expect(memberWeight(member, { kind: 'offers', theme: 'vitality' })).toBe(1);
  });
});

describe('fewer mails like this, for mail without a score', () => {
  it('holds back about half of a lowered topic’s surveys and notes, the same members on every replay', () => {
    const survey = aCampaign({ kind: 'survey', offerPool: [], campaignId: 'nps-q3' });
    const ids = Array.from({ length: 2000 }, (_, i) => `member-${i}`);
    const lowered = (memberId: string) => aMember({ memberId, preferences: { fewer: ['topic:surveys'] } });
    const held = ids.filter((id) => heldBackByWeight(lowered(id), survey));
    expect(held.length / ids.length).toBeGreaterThan(0.45);
    expect(held.length / ids.length).toBeLessThan(0.55);
    expect(ids.filter((id) => heldBackByWeight(lowered(id), survey))).toEqual(held);
    // Members who lowered something else, or nothing, are never held back by it.
    expect(ids.some((id) => heldBackByWeight(aMember({ memberId: id }), survey))).toBe(false);
    const heldMember = held[0] ?? '';
    const decision = decideCampaign({
      ...input({ member: lowered(heldMember), campaign: survey }),
      feedback: EVERYONE,
    });
    expect(decision).toMatchObject({ outcome: 'suppress', reason: 'fewer-like-this' });
  });

  it('puts the controls in the survey mail too, in both parts', () => {
    const controls = {
      fewer: 'https://club.example/c/t1.a.b/fewer',
      pause: 'https://club.example/c/t1.a.b/pause',
      'occasions-only': 'https://club.example/c/t1.a.b/occasions-only',
    };
    const mail = renderSurveyMail({
      club: aClub(),
      member: aMember({ language: 'da' }),
      survey: { type: 'relationship', askReason: true },
      links: {
        score: (n) => `https://club.example/s/x?score=${n}`,
        honeypot: 'https://club.example/s/x/x',
        unsubscribe: 'https://club.example/u/x',
        preferences: 'https://club.example/p/x',
        controls,
      },
    });
    for (const control of MailControl.options) {
      expect(mail.html).toContain(`>${MAIL_CONTROLS_COPY.da.links[control]}</a>`);
      expect(mail.text).toContain(`${MAIL_CONTROLS_COPY.da.links[control]}: ${controls[control]}`);
    }
  });
});

describe('what each control changes', () => {
  const campaign = aCampaign({ theme: 'vitality' });

  it('lowers the mail’s theme once: a second click changes nothing', () => {
    expect(controlPatch('fewer', aMember(), campaign, NOW)).toEqual({
      patch: { addFewer: 'theme:vitality' },
      changes: true,
    });
    const lowered = aMember({ preferences: { fewer: ['theme:vitality'] } });
    expect(controlPatch('fewer', lowered, campaign, NOW).changes).toBe(false);
  });

  it('pauses for 28 days, and never shortens a longer pause the member chose', () => {
    const { patch, changes } = controlPatch('pause', aMember(), campaign, NOW);
    expect(changes).toBe(true);
    expect(patch.pausedUntil).toBe(new Date(NOW.getTime() + 28 * DAY_MS).toISOString());
    const longer = aMember({ preferences: { pausedUntil: new Date(NOW.getTime() + 90 * DAY_MS).toISOString() } });
    expect(controlPatch('pause', longer, campaign, NOW)).toEqual({ patch: {}, changes: false });
  });

  it('sets the frequency to only birthday and big offers', () => {
    expect(controlPatch('occasions-only', aMember(), campaign, NOW)).toEqual({
      patch: { frequency: 'occasions-only' },
      changes: true,
    });
    const already = aMember({ preferences: { frequency: 'occasions-only' } });
    expect(controlPatch('occasions-only', already, campaign, NOW).changes).toBe(false);
  });
});

describe('the reasons the dry-run gives for a member’s own choice', () => {
  it('has a sentence in Swedish, Danish and English for each control’s reason and for a fold', () => {
    for (const language of Language.options) {
      for (const reason of ['paused', 'member-frequency-choice', 'fewer-like-this', 'folded-into:weekly-7']) {
        expect(choiceReason(language, reason)).toMatch(/\S.*\.$/);
      }
      expect(choiceReason(language, 'budget-window')).toBeUndefined();
      expect(Object.keys(CHOICE_REASONS[language]).sort()).toEqual(Object.keys(CHOICE_REASONS.en).sort());
    }
    expect(choiceReason('sv', 'paused')).not.toBe(choiceReason('da', 'paused'));
  });
});

describe('the controls in a mail', () => {
  const offers: MailOffer[] = [{ ...anOffer(CATALOG.spaghetti, { headline: '2 for 30 kr' }), why: 'often-bought' }];
  const controls = {
    fewer: 'https://club.example/c/t1.abc.def/fewer',
    pause: 'https://club.example/c/t1.abc.def/pause',
    'occasions-only': 'https://club.example/c/t1.abc.def/occasions-only',
  };

  it('puts each control as a link in the HTML part and its address in the plain-text part, in the member’s language', () => {
    for (const language of Language.options) {
      const mail = renderMail({
        club: aClub({ languages: ['sv', 'da', 'en'] }),
        member: aMember({ language }),
        theme: 'community',
        offers,
        links: { unsubscribe: 'https://club.example/u/x', preferences: 'https://club.example/p/x', controls },
      });
      const copy = MAIL_CONTROLS_COPY[language];
      for (const control of MailControl.options) {
        expect(mail.html).toContain(`<a href="${controls[control]}"`);
        expect(mail.html).toContain(`>${copy.links[control]}</a>`);
        expect(mail.text).toContain(`${copy.links[control]}: ${controls[control]}`);
      }
      expect(mail.text).toContain(copy.heading);
    }
  });
});

describe('a member import and the controls', () => {
  it('keeps the themes a member lowered: they are the member’s, not the club’s', () => {
    const { clubId: _c, consentHistory: _h, languageChosenAt: _l, ...fromCrm } = aMember();
    const record: MemberRecord = { ...fromCrm };
    const existing = aMember({
      preferences: { fewer: ['theme:care'], frequency: 'occasions-only', pausedUntil: '2025-07-13T10:00:00.000Z' },
    });
    const plan = planMemberSync('club-1', record, existing, undefined, NOW);
    const kept = plan.kind === 'skip-erased' ? [] : plan.kept.map((k) => `${k.owner}:${k.field}`);
    expect(kept).toEqual(
      expect.arrayContaining([
        'member:preferences.fewer',
        'member:preferences.frequency',
        'member:preferences.pausedUntil',
      ]),
    );
    // Only club fields are ever written to a member that exists.
    if (plan.kind === 'update') expect(Object.keys(plan.write.set)).not.toContain('preferences');
  });
});
