import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Campaign, Member } from './model.js';
import { DAY_MS } from './units.js';
import type { FewerKey, Language } from './vocabulary.js';

export { FewerKey } from './vocabulary.js';

/**
 * The controls inside every offers mail (docs/decisions/0042-in-mail-controls.md): one click each,
 * no login, each a signed link to a page that asks once and applies the change on a POST.
 */
export const MailControl = z.enum(['fewer', 'pause', 'occasions-only']);
export type MailControl = z.infer<typeof MailControl>;

/** What "fewer mails like this" multiplies the mail's value by, for this member, in the planner. */
export const FEWER_WEIGHT = 0.5;

/** "Pause for 4 weeks". */
export const CONTROL_PAUSE_DAYS = 28;

/** The key "fewer mails like this" lowers for a campaign's mail. */
export function fewerKeyOf(campaign: Pick<Campaign, 'kind' | 'theme'>): FewerKey {
  switch (campaign.kind) {
    case 'offers':
      return `theme:${campaign.theme}`;
    case 'survey':
      return 'topic:surveys';
    case 'note':
      return 'topic:news';
    default:
      return 'topic:offers';
  }
}

/** The member's weight for a campaign's mail: lower after "fewer mails like this", 1 otherwise. */
export function memberWeight(member: Pick<Member, 'preferences'>, campaign: Pick<Campaign, 'kind' | 'theme'>): number {
  return member.preferences.fewer?.includes(fewerKeyOf(campaign)) ? FEWER_WEIGHT : 1;
}

/**
 * For mail without a relevance score (a survey, a note): the lowered weight as the share of such
 * mails the member still gets, chosen by a hash of (campaign, member), so a replay holds back the same.
 */
export function heldBackByWeight(
  member: Pick<Member, 'memberId' | 'preferences'>,
  campaign: Pick<Campaign, 'kind' | 'theme' | 'campaignId'>,
): boolean {
  const weight = memberWeight(member, campaign);
  if (weight >= 1) return false;
  const hash = createHash('sha256').update(`fewer\u0000${campaign.campaignId}\u0000${member.memberId}`).digest();
  return hash.readUInt32BE(0) / 2 ** 32 >= weight;
}

/** When "pause for 4 weeks" pressed now ends. */
export function controlPauseEnd(now: Date): Date {
  return new Date(now.getTime() + CONTROL_PAUSE_DAYS * DAY_MS);
}

/** The controls' words in a mail: a heading, and one link text per control. */
export interface MailControlsCopy {
  readonly heading: string;
  readonly links: Readonly<Record<MailControl, string>>;
}

export const MAIL_CONTROLS_COPY: Readonly<Record<Language, MailControlsCopy>> = {
  sv: {
    heading: 'För mycket mejl? Ett klick räcker:',
    links: {
      fewer: 'Färre mejl som det här',
      pause: 'Pausa i 4 veckor',
      'occasions-only': 'Bara min födelsedag och stora erbjudanden',
    },
  },
  da: {
    heading: 'For mange mails? Ét klik er nok:',
    links: {
      fewer: 'Færre mails som denne',
      pause: 'Pause i 4 uger',
      'occasions-only': 'Kun min fødselsdag og store tilbud',
    },
  },
  en: {
    heading: 'Too much mail? One click is enough:',
    links: {
      fewer: 'Fewer mails like this',
      pause: 'Pause for 4 weeks',
      'occasions-only': 'Only my birthday and big offers',
    },
  },
};

/** The "also this week" block of folded offers (docs/decisions/0043-folded-offers.md). */
export const ALSO_THIS_WEEK: Readonly<Record<Language, string>> = {
  sv: 'Också den här veckan',
  da: 'Også i denne uge',
  en: 'Also this week',
};

/**
 * Why the planner held a mail back because of the member's own choice, in the marketer's words per
 * language: what the dry-run shows beside its English message.
 */
export const CHOICE_REASONS: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  sv: {
    paused: 'Medlemmen har pausat sina mejl.',
    'member-frequency-choice': 'Medlemmen vill bara ha mejl på sin födelsedag och vid stora erbjudanden.',
    'fewer-like-this': 'Medlemmen bad om färre mejl som det här, och det här mejlet var inte viktigt nog.',
    'folded-into': 'Medlemmen får ett annat mejl den här veckan; kampanjens bästa erbjudande följer med i det.',
  },
  da: {
    paused: 'Medlemmet har sat sine mails på pause.',
    'member-frequency-choice': 'Medlemmet vil kun have mails på sin fødselsdag og ved store tilbud.',
    'fewer-like-this': 'Medlemmet bad om færre mails som denne, og denne mail var ikke vigtig nok.',
    'folded-into': 'Medlemmet får en anden mail i denne uge; kampagnens bedste tilbud kommer med i den.',
  },
  en: {
    paused: 'The member paused their mail.',
    'member-frequency-choice': 'The member wants mail only on their birthday and for big offers.',
    'fewer-like-this': 'The member asked for fewer mails like this, and this one was not important enough.',
    'folded-into': "The member gets another mail this week; this campaign's best offer rides along in it.",
  },
};

/** The sentence for a suppression reason that is a member's choice (or a fold), if it is one. */
export function choiceReason(language: Language, reason: string): string | undefined {
  const key = reason.startsWith('folded-into:') ? 'folded-into' : reason;
  const sentences = CHOICE_REASONS[language];
  return Object.hasOwn(sentences, key) ? sentences[key] : undefined;
}
