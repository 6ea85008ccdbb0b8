/**
 * Audience facts: one compact line per member with exactly what audience rules and the consent and
 * topic checks read, and nothing else (no address, no name, no diet). An estimate evaluates a file of
 * these in memory instead of reading every member's three items (docs/decisions/0041-audience-estimates.md).
 * Pure: the line's schema, a member state as a line, and a line as an AudienceSubject.
 */
import { z } from 'zod';
import { AttributeValues } from './attributes.js';
import type { AudienceSubject } from './audience.js';
import { subjectOf } from './audience-subject.js';
import type { EngagementPolicy } from './engagement.js';
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
  act: PurchaseActivity.optional(),
  /** Epoch day of the last purchase date of each product bought within ACTIVITY_DAYS. */
  l: z.record(z.string(), z.number().int()).optional(),
  /** passive (1) or active (0) when the facts were written */
  pv: z.union([z.literal(0), z.literal(1)]),
  /** send ids in the ledger (sent or being sent) */
  r: z.array(z.string()).optional(),
  /** what the consent and topic checks read: deliverability, subscription, consent, pause, topics, frequency */
  d: Deliverability,
  s: Subscription,
  k: z.boolean(),
  u: z.string().optional(),
  t: z.array(Topic),
  f: Frequency,
});
export type AudienceFact = z.infer<typeof AudienceFact>;

/** A member's state as one facts line, as of `now`. */
export function factOf(state: MemberState, engagement: EngagementPolicy, now: Date): AudienceFact {
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
    .map(([id]) => id);
  return {
    m: member.memberId,
    z: member.timeZone,
    j: member.joinedAt,
    ...(member.birthDate ? { b: member.birthDate } : {}),
    ...(member.attributes && Object.keys(member.attributes).length > 0 ? { a: member.attributes } : {}),
    ...(member.lastEngagedAt ? { c: member.lastEngagedAt } : {}),
    ...(profile.lastPurchaseAt ? { p: profile.lastPurchaseAt } : {}),
    ...(profile.activity ? { act: profile.activity } : {}),
    ...(products > 0 ? { l: { ...last } } : {}),
    pv: subject.passive() ? 1 : 0,
    ...(received.length > 0 ? { r: received } : {}),
    d: member.deliverability,
    s: member.subscription,
    k: member.consent.marketing,
    ...(member.preferences.pausedUntil ? { u: member.preferences.pausedUntil } : {}),
    t: member.preferences.topics,
    f: member.preferences.frequency,
  };
}

/** A facts line as the rules read it. */
export function subjectOfFact(fact: AudienceFact): AudienceSubject {
  const received = new Set(fact.r ?? []);
  const last = fact.l;
  return {
    memberId: fact.m,
    timeZone: fact.z,
    joinedAt: fact.j,
    birthDate: fact.b,
    attributes: fact.a,
    lastClickAt: fact.c,
    lastPurchaseAt: fact.p,
    activity: fact.act,
    lastBoughtDay: (productId) => (last && Object.hasOwn(last, productId) ? last[productId] : undefined),
    passive: () => fact.pv === 1,
    received: (sendId) => received.has(sendId),
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
