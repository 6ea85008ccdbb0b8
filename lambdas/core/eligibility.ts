import type { Campaign, Member, Preferences, Topic } from './model.js';
import type { SuppressReason } from './reasons.js';
import { assertNever } from './units.js';

export type Eligibility =
  | { readonly eligible: true }
  | { readonly eligible: false; readonly reason: SuppressReason; readonly message: string };

/** What eligibility reads of a member (an audience estimate passes this much, not a whole member). */
export type EligibilityFacts = Pick<Member, 'deliverability' | 'subscription'> & {
  readonly consent: { readonly marketing: boolean };
  readonly preferences: Pick<Preferences, 'pausedUntil' | 'topics' | 'frequency'>;
};

/**
 * Whether a member may receive a marketing mail on a topic at all, before offers or budget.
 * Checked at plan time and again just before sending, so a click on "unsubscribe" also stops
 * mail that is already queued.
 */
export function checkEligibility(
  member: EligibilityFacts,
  topic: Topic,
  now: Date,
  options: { bigOffer?: boolean } = {},
): Eligibility {
  switch (member.deliverability) {
    case 'complained':
      return no('complained', 'The member marked an earlier mail as spam.');
    case 'bounced':
      return no('bounced', 'Mail to this address bounced permanently.');
    case 'undeliverable':
      return no('undeliverable', 'Mail to this address kept bouncing.');
    case 'ok':
      break;
    default:
      return assertNever(member.deliverability);
  }
  if (member.subscription === 'unsubscribed') return no('unsubscribed', 'The member unsubscribed from club mail.');
  if (!member.consent.marketing) return no('no-consent', 'The member has not consented to marketing mail.');
  const pausedUntil = member.preferences.pausedUntil;
  if (pausedUntil && Date.parse(pausedUntil) > now.getTime()) {
    return no('paused', `The member paused mail until ${pausedUntil.slice(0, 10)}.`);
  }
  if (!member.preferences.topics.includes(topic)) {
    return no('topic-opt-out', `The member does not want mail about ${topic}.`);
  }
  if (member.preferences.frequency === 'occasions-only' && !options.bigOffer) {
    return no('member-frequency-choice', 'The member only wants mail on their birthday and for big offers.');
  }
  return { eligible: true };
}

function no(reason: SuppressReason, message: string): Eligibility {
  return { eligible: false, reason, message };
}

/** The preference-page topic a campaign is about: a "you said, we did" note is club news. */
export function topicOf(campaign: Pick<Campaign, 'kind'>): Topic {
  switch (campaign.kind) {
    case 'survey':
      return 'surveys';
    case 'note':
      return 'news';
    case 'offers':
      return 'offers';
    default:
      return assertNever(campaign.kind);
  }
}

/** Which budget a campaign's mail uses: surveys their own caps, everything else the offers windows. */
export function budgetKindOf(campaign: Pick<Campaign, 'kind'>): 'offers' | 'survey' {
  return campaign.kind === 'survey' ? 'survey' : 'offers';
}

/** A campaign with the highest priority counts as a "big offer" for members who asked for only those. */
export function isBigOffer(campaign: Pick<Campaign, 'priority'>): boolean {
  return campaign.priority >= 3;
}
