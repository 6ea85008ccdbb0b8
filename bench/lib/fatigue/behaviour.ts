/**
 * How a simulated member responds to one marketing mail: open, click, buy, unsubscribe.
 *
 * Every behavioural number lives in `BEHAVIOUR`, each with its source or, where no published figure
 * exists, the assumption it encodes. The planner never reads these: the policies see only what a
 * real planner sees (relevance, the ledger, engagement), so the model cannot leak into the decisions.
 *
 * Calibration targets (checked by `npx tsx bench/fatigue.ts`, see docs/benchmarks-fatigue.md):
 * - unsubscribes ≈ 0.1–0.5 % per marketing mail, 0.2–0.4 % in retail: Mailchimp's benchmarks (October
 *   2019) give 0.25 % for all accounts, 0.28 % for Agriculture and Food Services, 0.27 % for E-Commerce;
 * - "too many emails" and "not relevant" are the top reasons people give for unsubscribing
 *   (MarketingSherpa 2017, 2,400 US consumers: 26 % too many emails in general, 21 % not relevant,
 *   19 % too many from this company);
 * - Zhang, Kumar & Cosguner, "Dynamically Managing a Profitable Email Marketing Program", JMR 54(6)
 *   2017: sending 4 or 10 mails instead of the optimal 7 lost 32 % / 16 % of lifetime profit per
 *   customer, so profit against frequency is an inverted U, steeper on the too-few side;
 * - Drèze & Bonfrer, "An Empirical Investigation of the Impact of Communication Timing on Customer
 *   Equity", J. Interactive Marketing 22(1) 2008: inter-mail gaps that are too short hurt retention
 *   more than gaps that are too long.
 */

export const BEHAVIOUR = {
  /**
   * Share of members who have stopped reading the club's mail (open propensity `dormantOpen`).
   * Assumption: a large part of any list is inactive; Zhang et al. (2017) find email-active and
   * purchase-active customers are different groups, so dormant members still shop in store.
   */
  dormantShare: 0.3,
  /** Open probability of a dormant member. Assumption. */
  dormantOpen: 0.03,
  /**
   * Open propensity of the other members, uniform in [min, max]. With the dormant share the list
   * opens ≈ 0.3 × 0.03 + 0.7 × 0.3 ≈ 22 % of mails: Mailchimp 2019 gives 22.71 % (all accounts),
   * 23.31 % (Agriculture and Food Services), 15.68 % (E-Commerce).
   */
  activeOpenMin: 0.1,
  activeOpenMax: 0.5,
  /** The subject line shows the best offer: open × (1 + lift × (relevance − 0.5)). Assumption, mild. */
  openRelevanceLift: 0.6,
  /**
   * Click given open = base + slope × relevance: ≈ 12 % at relevance 0.5, i.e. ≈ 2.6 % of mails
   * clicked, against Mailchimp 2019's 2.91 % (all) / 2.94 % (food) / 2.01 % (e-commerce).
   */
  clickBase: 0.04,
  clickSlope: 0.16,
  /**
   * Conversion (buys an offered product) given open = base + slope × relevance: ≈ 4 % at relevance
   * 0.5, i.e. ≈ 1 % of mails, as Remarkety's 2016 e-commerce benchmark for newsletters (open 23.4 %,
   * conversion 1 %, reported by Econsultancy). Relevance drives it: offers the member already buys.
   */
  conversionBase: 0.005,
  conversionSlope: 0.07,
  /**
   * Mild conversion fatigue: conversion × 1 / (1 + fatigue × mails in the previous 7 days beyond
   * the first). Zhang et al. (2017) find the number of mails has a non-linear effect on purchases;
   * the size here is an assumption (−7 % after 2 mails that week, −18 % after 4).
   */
  conversionFatigue: 0.075,
  /**
   * Unsubscribe hazard of one mail to a member at tolerance 1 with no recent mail, a perfectly
   * relevant offer and the mail opened. Calibrated on the baselines only, never on our policy: a
   * fixed cap of 2 mails per 7 days (a common retail cadence) lands inside the retail 0.2–0.4 % per
   * mail (measured 0.32 %, seed 2026) and send-everything inside 0.1–0.5 % (measured 0.47 %).
   */
  unsubscribeBase: 0.0024,
  /** Hazard × (1 + perMail7 × mails in the previous 7 days + perMail30 × mails in the previous 30). "Too many emails" (MarketingSherpa 2017). */
  unsubscribePerMail7: 0.15,
  unsubscribePerMail30: 0.03,
  /**
   * Hazard × (1 + shortGapPenalty × (1 − hours since the last mail / shortGapHours)) for gaps
   * shorter than `shortGapHours`; no penalty for long gaps (Drèze & Bonfrer 2008: too short hurts
   * retention more than too long). Sizes are assumptions.
   */
  shortGapPenalty: 1,
  shortGapHours: 48,
  /** Hazard × (1 + penalty × (1 − relevance)): "not relevant" is the second reason (MarketingSherpa 2017). Size assumed. */
  irrelevancePenalty: 2,
  /**
   * Hazard × this when an offer breaks the member's true diet (pork for a Muslim member, wheat for
   * a coeliac). No published figure: the product treats it as a broken promise, hence steep.
   */
  breachMultiplier: 15,
  /**
   * Share of the hazard that applies when the mail is not opened: mailbox providers offer
   * one-click unsubscribe from the list view (RFC 8058) without opening. Assumption.
   */
  unsubscribeWithoutOpen: 0.3,
  /** Members differ in patience: tolerance multiplier uniform in [1 − spread, 1 + spread]. Assumption. */
  toleranceSpread: 0.5,
} as const;

export type BehaviourParams = { readonly [K in keyof typeof BEHAVIOUR]: number };

/** A member's uniform draws, fixed by the world; the behaviour parameters turn them into traits. */
export interface MemberDraws {
  readonly dormancy: number;
  readonly openness: number;
  readonly patience: number;
}

export interface MemberTraits {
  /** Probability of opening a mail of middling relevance. */
  readonly openPropensity: number;
  /** Unsubscribe hazard multiplier (mean 1). */
  readonly tolerance: number;
}

export function traitsOf(draws: MemberDraws, params: BehaviourParams = BEHAVIOUR): MemberTraits {
  const openPropensity =
    draws.dormancy < params.dormantShare
      ? params.dormantOpen
      : params.activeOpenMin + draws.openness * (params.activeOpenMax - params.activeOpenMin);
  return {
    openPropensity: Math.min(1, openPropensity),
    tolerance: Math.max(0, 1 - params.toleranceSpread + draws.patience * 2 * params.toleranceSpread),
  };
}

/** What the member has seen lately, at the moment a mail arrives. */
export interface Exposure {
  /** Marketing mails in the 7 days before this one. */
  readonly mails7: number;
  /** Marketing mails in the 30 days before this one. */
  readonly mails30: number;
  /** Hours since the previous marketing mail (Infinity if none). */
  readonly hoursSinceLast: number;
}

export interface MailFacts {
  /** The best offer's score from the real ranking, 0–1. */
  readonly relevance: number;
  /** An offer in the mail breaks the member's true diet. */
  readonly breach: boolean;
}

const clamp01 = (p: number) => Math.min(1, Math.max(0, p));

export function openProbability(propensity: number, mail: MailFacts, params: BehaviourParams = BEHAVIOUR): number {
  return clamp01(propensity * (1 + params.openRelevanceLift * (mail.relevance - 0.5)));
}

export function clickProbabilityGivenOpen(mail: MailFacts, params: BehaviourParams = BEHAVIOUR): number {
  return clamp01(params.clickBase + params.clickSlope * mail.relevance);
}

export function conversionProbabilityGivenOpen(
  mail: MailFacts,
  exposure: Exposure,
  params: BehaviourParams = BEHAVIOUR,
): number {
  const fatigue = 1 / (1 + params.conversionFatigue * Math.max(0, exposure.mails7 - 1));
  return clamp01((params.conversionBase + params.conversionSlope * mail.relevance) * fatigue);
}

/** The factors of the unsubscribe hazard, kept apart so the report can say which drove each unsubscribe. */
export interface UnsubscribeFactors {
  readonly frequency: number;
  readonly gap: number;
  readonly irrelevance: number;
  readonly breach: number;
}

export function unsubscribeFactors(
  mail: MailFacts,
  exposure: Exposure,
  params: BehaviourParams = BEHAVIOUR,
): UnsubscribeFactors {
  const shortness = params.shortGapHours > 0 ? Math.max(0, 1 - exposure.hoursSinceLast / params.shortGapHours) : 0;
  return {
    frequency: 1 + params.unsubscribePerMail7 * exposure.mails7 + params.unsubscribePerMail30 * exposure.mails30,
    gap: 1 + params.shortGapPenalty * shortness,
    irrelevance: 1 + params.irrelevancePenalty * (1 - clamp01(mail.relevance)),
    breach: mail.breach ? params.breachMultiplier : 1,
  };
}

export function unsubscribeProbability(
  mail: MailFacts,
  exposure: Exposure,
  member: { readonly tolerance: number; readonly opened: boolean },
  params: BehaviourParams = BEHAVIOUR,
): number {
  const f = unsubscribeFactors(mail, exposure, params);
  const hazard = params.unsubscribeBase * member.tolerance * f.frequency * f.gap * f.irrelevance * f.breach;
  return clamp01(member.opened ? hazard : hazard * params.unsubscribeWithoutOpen);
}

export type UnsubscribeCause = 'too many mails' | 'not relevant' | 'diet breach' | 'background';

/** The factor that raised the hazard most: what the member would tick on the unsubscribe survey. */
export function unsubscribeCause(f: UnsubscribeFactors): UnsubscribeCause {
  const candidates: Array<[UnsubscribeCause, number]> = [
    ['diet breach', f.breach],
    ['too many mails', f.frequency * f.gap],
    ['not relevant', f.irrelevance],
  ];
  let best: [UnsubscribeCause, number] = ['background', 1.25];
  for (const candidate of candidates) if (candidate[1] > best[1]) best = candidate;
  return best[0];
}

/** A deterministic uniform in [0, 1) per (seed, member, mail, purpose): policies that send the same mail see the same dice. */
export function dice(seed: number, member: number, mail: number, purpose: number): number {
  let h = fmix(seed >>> 0);
  h = fmix(h ^ member);
  h = fmix(h ^ Math.imul(mail + 1, 0x9e3779b1));
  h = fmix(h ^ Math.imul(purpose + 1, 0x85ebca77));
  return (h >>> 0) / 4294967296;
}

function fmix(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
