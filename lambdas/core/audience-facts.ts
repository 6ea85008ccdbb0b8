/**
 * Audience facts: one compact line per member with exactly what audience rules and the consent and
 * topic checks read, and nothing else (no address, no name, no diet). An estimate evaluates a file of
 * these in memory instead of reading every member's three items (docs/decisions/0050-audience-estimates.md).
 * Pure: the line's schema, a member state as a line, and a line as an AudienceSubject.
 */
import { z } from 'zod';
import { AttributeValues } from './attributes.js';
import type { AudienceSubject } from './audience.js';
import { subjectOf } from './audience-subject.js';
import type { EngagementPolicy } from './engagement.js';
import { sendIdFor } from './ledger.js';
import { epochDay } from './local-days.js';
import { Deliverability, Frequency, Subscription, Topic } from './model.js';
import type { MemberState } from './ports.js';
import { ACTIVITY_DAYS, PurchaseActivity } from './purchase-activity.js';

export const AudienceFact = z.object({
  /** memberId, time zone, joinedAt, birthDate */
  m: z.string(),
  z: z.string(),
  j: z.string(),
  b: z.string().optional(),
  a: AttributeValues.optional(),
  /** last click, last purchase */
  c: z.string().optional(),
  p: z.string().optional(),
  /** Epoch day of the latest purchase date in the purchase activity (what every purchase date is counted back from). */
  pd: z.number().int().optional(),
  /** passive (1) or active (0) when the facts were written */
  pv: z.union([z.literal(0), z.literal(1)]),
  /** The first SEND_ID_CHARS of the send ids in the ledger (sent or being sent). */
  r: z.array(z.string()).optional(),
  /** what the consent and topic checks read: deliverability, subscription, consent, pause, topics, frequency */
  d: Deliverability,
  s: Subscription,
  k: z.boolean(),
  u: z.string().optional(),
  t: z.array(Topic),
  f: Frequency,
  /** The member's stored experiment arms, as [experimentId, armId] (the arms not stored are drawn when read). */
  x: z.array(z.tuple([z.string(), z.string()])).optional(),
});
export type AudienceFact = z.infer<typeof AudienceFact>;

/** Send ids are kept this long in facts: 64 bits, so two of one member's sends never meet. */
export const SEND_ID_CHARS = 16;

/**
 * A member's purchases as rules read them. Not written as such: the estimate's files hold them as
 * postings per category and product (core/audience-postings.ts), read only for the keys a rule names.
 */
export const PurchaseFact = z.object({
  act: PurchaseActivity.optional(),
  /** Epoch day of the last purchase date of each product bought within ACTIVITY_DAYS. */
  l: z.record(z.string(), z.number().int()).optional(),
});
export type PurchaseFact = z.infer<typeof PurchaseFact>;

/** A member's state as one facts line and its purchases, as of `now`. */
export function factOf(
  state: MemberState,
  engagement: EngagementPolicy,
  now: Date,
): { fact: AudienceFact; purchases: PurchaseFact } {
  const { member, profile, ledger } = state;
  const subject = subjectOf(state, engagement);
  const oldest = epochDay(now.toISOString()) - ACTIVITY_DAYS - 1;
  const last: Record<string, number> = Object.create(null);
  let products = 0;
  for (const [productId, stats] of Object.entries(profile.products)) {
    const day = epochDay(stats.lastAt);
    if (day < oldest) continue;
    last[productId] = day;
    products += 1;
  }
  const received = Object.entries(ledger.sends)
    .filter(([, send]) => send.kind !== 'dropped')
    .map(([id]) => id.slice(0, SEND_ID_CHARS));
  const fact: AudienceFact = {
    m: member.memberId,
    z: member.timeZone,
    j: member.joinedAt,
    ...(member.birthDate ? { b: member.birthDate } : {}),
    ...(member.attributes && Object.keys(member.attributes).length > 0 ? { a: member.attributes } : {}),
    ...(member.lastEngagedAt ? { c: member.lastEngagedAt } : {}),
    ...(profile.lastPurchaseAt ? { p: profile.lastPurchaseAt } : {}),
    ...(profile.activity ? { pd: profile.activity.day } : {}),
    pv: subject.passive() ? 1 : 0,
    ...(received.length > 0 ? { r: received } : {}),
    d: member.deliverability,
    s: member.subscription,
    k: member.consent.marketing,
    ...(member.preferences.pausedUntil ? { u: member.preferences.pausedUntil } : {}),
    t: member.preferences.topics,
    f: member.preferences.frequency,
    ...(state.assignments?.length
      ? { x: state.assignments.map((a) => [a.experimentId, a.armId] as [string, string]) }
      : {}),
  };
  return {
    fact,
    purchases: { ...(profile.activity ? { act: profile.activity } : {}), ...(products > 0 ? { l: { ...last } } : {}) },
  };
}

/** A facts line (and its purchases, when a rule reads purchases) as the rules read it. */
export function subjectOfFact(clubId: string, fact: AudienceFact, purchases?: PurchaseFact): AudienceSubject {
  const sent = fact.r;
  const last = purchases?.l;
  return {
    memberId: fact.m,
    timeZone: fact.z,
    joinedAt: fact.j,
    birthDate: fact.b,
    attributes: fact.a,
    lastClickAt: fact.c,
    lastPurchaseAt: fact.p,
    activity: purchases?.act,
    lastBoughtDay: (productId) => (last && Object.hasOwn(last, productId) ? last[productId] : undefined),
    passive: () => fact.pv === 1,
    received: (campaignId) => sent?.includes(sendIdFor(clubId, campaignId, fact.m).slice(0, SEND_ID_CHARS)) === true,
  };
}

/** What the consent and topic checks (core/eligibility.ts) read, from a facts line. */
export function eligibilityOfFact(fact: AudienceFact) {
  return {
    deliverability: fact.d,
    subscription: fact.s,
    consent: { marketing: fact.k },
    preferences: { topics: fact.t, frequency: fact.f, ...(fact.u ? { pausedUntil: fact.u } : {}) },
  };
}
