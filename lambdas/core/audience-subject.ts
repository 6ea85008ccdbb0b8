/**
 * A member's state (member, profile, ledger: what the planner reads anyway) as an audience rule sees
 * it. No copy of the profile is made; the engagement state is worked out only if a rule asks. Pure.
 */
import type { AudienceSubject } from './audience.js';
import { type EngagementPolicy, engagementOf } from './engagement.js';
import { type Ledger, sendIdFor, sentTimes } from './ledger.js';
import { epochDay } from './local-days.js';
import type { Member } from './model.js';
import type { PurchaseProfile } from './profile.js';

export interface SubjectState {
  readonly member: Member;
  readonly profile: PurchaseProfile;
  readonly ledger: Ledger;
}

export function subjectOf(state: SubjectState, engagement: EngagementPolicy): AudienceSubject {
  const { member, profile, ledger } = state;
  return {
    memberId: member.memberId,
    timeZone: member.timeZone,
    joinedAt: member.joinedAt,
    birthDate: member.birthDate,
    attributes: member.attributes,
    lastClickAt: member.lastEngagedAt,
    lastPurchaseAt: profile.lastPurchaseAt,
    activity: profile.activity,
    lastBoughtDay: (productId) => {
      const stats = Object.hasOwn(profile.products, productId) ? profile.products[productId] : undefined;
      return stats ? epochDay(stats.lastAt) : undefined;
    },
    passive: () => {
      const engaged = [member.lastEngagedAt, profile.lastPurchaseAt].flatMap((t) => (t ? [Date.parse(t)] : []));
      const input = {
        sentAt: sentTimes(ledger),
        ...(engaged.length > 0 ? { lastEngagedAt: Math.max(...engaged) } : {}),
      };
      return engagementOf(input, engagement).state === 'passive';
    },
    received: (campaignId) => {
      // Most members' ledgers hold a few sends: hash the send id only when there is something to find.
      if (Object.keys(ledger.sends).length === 0) return false;
      const sendId = sendIdFor(member.clubId, campaignId, member.memberId);
      const send = Object.hasOwn(ledger.sends, sendId) ? ledger.sends[sendId] : undefined;
      return send !== undefined && send.kind !== 'dropped';
    },
  };
}
