import { describe, expect, it } from 'vitest';
import { consentHistoryOf, effectiveConsent, mergeConsent } from '../../lambdas/core/consent.js';
import { type MemberRecord, planMemberSync, type SyncPlan } from '../../lambdas/core/member-sync.js';
import type { Consent, Member } from '../../lambdas/core/model.js';
import { aMember, DAY_MS, NOW } from './fixtures.js';

const GRANT: Consent = {
  marketing: true,
  textVersion: 'v1',
  at: '2024-01-01T00:00:00.000Z',
  source: 'crm',
  legalBasis: 'consent',
};
const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY_MS).toISOString();

/** The CRM's record of a member, as a nightly sync sends it: the same every night. */
function record(overrides: Partial<MemberRecord> = {}): MemberRecord {
  const { clubId: _club, consentHistory: _history, languageChosenAt: _chosen, ...member } = aMember({ consent: GRANT });
  return { ...member, ...overrides };
}

function stored(overrides: Partial<Member> = {}): Member {
  return { ...aMember({ consent: GRANT }), consentHistory: [GRANT], ...overrides };
}

function unsubscribed(): Member {
  const withdrawal: Consent = { ...GRANT, marketing: false, at: at(10), source: 'one-click' };
  return stored({ subscription: 'unsubscribed', consent: withdrawal, consentHistory: [GRANT, withdrawal] });
}

function kept(plan: SyncPlan): string[] {
  return plan.kind === 'skip-erased' ? [] : plan.kept.map((k) => `${k.owner}:${k.field}`);
}

describe('planMemberSync', () => {
  it('creates a new member fully from the record, with the record’s consent as the first event', () => {
    const plan = planMemberSync('club-1', record({ subscription: 'subscribed' }), undefined, undefined, NOW);
    expect(plan.kind).toBe('create');
    if (plan.kind !== 'create') return;
    expect(plan.member).toMatchObject({
      clubId: 'club-1',
      memberId: 'member-1',
      consent: GRANT,
      consentHistory: [GRANT],
    });
  });

  it('leaves an unchanged member unchanged, however often the same record comes', () => {
    expect(planMemberSync('club-1', record(), stored(), undefined, NOW)).toEqual({ kind: 'unchanged', kept: [] });
  });

  it('updates only the club’s fields and lists every member and system field it kept', () => {
    const member = stored({
      subscription: 'unsubscribed',
      deliverability: 'undeliverable',
      preferences: { ...stored().preferences, topics: ['news'], frequency: 'monthly', pausedUntil: at(-30) },
    });
    const plan = planMemberSync(
      'club-1',
      record({ firstName: 'Annika', timeZone: 'Europe/Copenhagen' }),
      member,
      undefined,
      NOW,
    );
    expect(plan.kind).toBe('update');
    if (plan.kind !== 'update') return;
    expect(plan.write.set).toEqual({ firstName: 'Annika', timeZone: 'Europe/Copenhagen' });
    expect(plan.write.consent).toBeUndefined();
    expect(kept(plan).sort()).toEqual([
      'member:preferences.frequency',
      'member:preferences.pausedUntil',
      'member:preferences.topics',
      'member:subscription',
      'system:deliverability',
    ]);
  });

  it('keeps a language the member chose on their page, and changes one the club set', () => {
    const chosen = planMemberSync(
      'club-1',
      record({ language: 'sv' }),
      stored({ languageChosenAt: at(3) }),
      undefined,
      NOW,
    );
    expect(chosen).toEqual({ kind: 'unchanged', kept: [{ field: 'language', owner: 'member' }] });
    const clubs = planMemberSync('club-1', record({ language: 'sv' }), stored(), undefined, NOW);
    expect(clubs.kind === 'update' && clubs.write.set).toEqual({ language: 'sv' });
  });

  it('never lets the nightly record undo an unsubscribe, even with the grant re-stamped with today’s date', () => {
    const same = planMemberSync('club-1', record(), unsubscribed(), undefined, NOW);
    expect(same).toEqual({ kind: 'unchanged', kept: [{ field: 'subscription', owner: 'member' }] });
    const restamped = planMemberSync(
      'club-1',
      record({ consent: { ...GRANT, at: at(0) } }),
      unsubscribed(),
      undefined,
      NOW,
    );
    expect(restamped.kind).toBe('unchanged');
    expect(kept(restamped)).toEqual(['member:subscription', 'member:consent']);
    if (restamped.kind === 'unchanged') expect(restamped.kept[1]?.why).toMatch(/needs its own source, not "crm"/);
  });

  it('takes a renewed grant, newer than the withdrawal and from its own source, and subscribes the member again', () => {
    const renewal: Consent = { ...GRANT, textVersion: 'v2', at: at(1), source: 'web-signup' };
    const plan = planMemberSync('club-1', record({ consent: renewal }), unsubscribed(), undefined, NOW);
    expect(plan.kind).toBe('update');
    if (plan.kind !== 'update') return;
    expect(plan.renewed).toBe(true);
    expect(plan.write.resubscribe).toBe(true);
    expect(plan.write.consent).toMatchObject({ append: [renewal], effective: renewal, basedOn: 2 });
  });

  it('adds a withdrawal the club recorded, which then is in force', () => {
    const withdrawal: Consent = { ...GRANT, marketing: false, at: at(2), source: 'shop-counter' };
    const plan = planMemberSync('club-1', record({ consent: withdrawal }), stored(), undefined, NOW);
    expect(plan.kind === 'update' && plan.write.consent).toMatchObject({ append: [withdrawal], effective: withdrawal });
  });

  it('starts the history of a member stored before histories existed from their one consent record', () => {
    const legacy = aMember({ consent: GRANT });
    expect(legacy.consentHistory).toBeUndefined();
    const withdrawal: Consent = { ...GRANT, marketing: false, at: at(2), source: 'shop-counter' };
    const plan = planMemberSync('club-1', record({ consent: withdrawal }), legacy, undefined, NOW);
    expect(plan.kind === 'update' && plan.write.consent).toMatchObject({
      basedOn: 0,
      initial: [GRANT],
      append: [withdrawal],
    });
  });

  it('stores a new member whose address withdrew before as unsubscribed, with that withdrawal in the history', () => {
    const block = { reason: 'withdrawn' as const, at: at(20), grantSources: ['crm'] };
    const plan = planMemberSync('club-1', record({ memberId: 'm-new' }), undefined, block, NOW);
    expect(plan.kind).toBe('create');
    if (plan.kind !== 'create') return;
    expect(plan.member.subscription).toBe('unsubscribed');
    expect(plan.member.consent).toMatchObject({ marketing: false, at: at(20), source: 'suppression-list:withdrawn' });
    expect(plan.member.consentHistory?.map((e) => e.marketing)).toEqual([true, false]);
  });

  it('lets a new grant from another source renew a withdrawn address, but never a complaint', () => {
    const renewal: Consent = { ...GRANT, at: at(1), source: 'web-signup' };
    const withdrawn = planMemberSync(
      'club-1',
      record({ consent: renewal }),
      undefined,
      { reason: 'withdrawn', at: at(20), grantSources: ['crm'] },
      NOW,
    );
    expect(withdrawn.kind === 'create' && withdrawn.member).toMatchObject({
      subscription: 'subscribed',
      consent: renewal,
    });
    const complaint = planMemberSync(
      'club-1',
      record({ consent: renewal }),
      undefined,
      { reason: 'complaint', at: at(20) },
      NOW,
    );
    expect(complaint.kind === 'create' && complaint.member.subscription).toBe('unsubscribed');
    expect(kept(complaint)).toEqual(['member:consent']);
  });

  it('does not store an erased address again, and stores a bounced one as bounced', () => {
    expect(planMemberSync('club-1', record(), undefined, { reason: 'erased', at: at(5) }, NOW)).toEqual({
      kind: 'skip-erased',
    });
    const bounced = planMemberSync('club-1', record(), undefined, { reason: 'hard-bounce', at: at(5) }, NOW);
    expect(bounced.kind === 'create' && bounced.member.deliverability).toBe('bounced');
  });
});

describe('mergeConsent', () => {
  it('skips events it knows, refuses events from the future, and keeps the latest in force', () => {
    const future: Consent = { ...GRANT, at: new Date(NOW.getTime() + 2 * DAY_MS).toISOString(), source: 'x' };
    const merge = mergeConsent([GRANT], [GRANT, future], NOW);
    expect(merge.append).toEqual([]);
    expect(merge.refused.map((r) => r.why)).toEqual([expect.stringMatching(/in the future/)]);
    expect(merge.effective).toEqual(GRANT);
  });

  it('puts a withdrawal in force over a grant of the same instant', () => {
    const withdrawal: Consent = { ...GRANT, marketing: false, source: 'one-click' };
    expect(effectiveConsent([withdrawal, GRANT])).toEqual(withdrawal);
  });

  it('reads the history of an older member as their one consent record', () => {
    expect(consentHistoryOf(aMember({ consent: GRANT }))).toEqual([GRANT]);
  });
});
