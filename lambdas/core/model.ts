import { z } from 'zod';
import { AttributeDeclarations, AttributeValues } from './attributes.js';
import { BudgetPolicy, DEFAULT_BUDGET } from './budget.js';
import { DietTag, Labelling, Restriction } from './diet.js';
import { DEFAULT_ENGAGEMENT, EngagementPolicy } from './engagement.js';
import { Category, Id } from './ids.js';
import { NameDayCalendar } from './name-days.js';
import { FunFact, Occasion } from './occasions.js';
import { ClockTime, TimeZone } from './quiet-hours.js';
import { HttpsUrl, SafeLine } from './safe-text.js';
import { DEFAULT_DELIVERABILITY, DeliverabilityPolicy } from './send-protocol.js';
import { DEFAULT_FEEDBACK, FeedbackNote, FeedbackSettings, SurveySpec } from './survey.js';
import { MailTemplate } from './templates.js';
import { FewerKey, Frequency, Language, Topic } from './vocabulary.js';

export { Category, Id } from './ids.js';
export { Frequency, Language, Topic } from './vocabulary.js';

export const Emotion = z.enum(['community', 'selected', 'vitality', 'curiosity', 'care', 'celebration']);
export type Emotion = z.infer<typeof Emotion>;

export const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a #rrggbb colour');

export const BrandProfile = z.object({
  primaryEmotion: Emotion,
  secondaryEmotions: z.array(Emotion).max(2).default([]),
  address: z.enum(['informal', 'formal']).default('informal'),
  colours: z.object({ primary: Colour, background: Colour, text: Colour }),
  logoUrl: HttpsUrl.optional(),
});
export type BrandProfile = z.infer<typeof BrandProfile>;

export const Club = z.object({
  clubId: Id,
  /** Shown in the From line and subjects: one line, no control or bidi characters (core/safe-text.ts). */
  name: SafeLine(1, 100),
  language: Language,
  /** The club's own time zone: the console shows and takes send times in it (core/local-time.ts `clubTimeZone`). */
  timeZone: TimeZone.optional(),
  /** The languages the club mails in; a member whose language is not among them gets `language`. */
  languages: z.array(Language).min(1).max(3).optional(),
  senderName: SafeLine(1, 100),
  senderEmail: z.email(),
  postalAddress: z.string().min(5).max(300),
  brand: BrandProfile,
  /** Where the call to action in mail leads (the club's offers page); no button without it. */
  offersUrl: HttpsUrl.optional(),
  /** The club's name-day calendar ('MM-DD' → names), if it sends name-day mail; licensed by the club. */
  nameDays: NameDayCalendar.optional(),
  budget: BudgetPolicy.default(DEFAULT_BUDGET),
  /** When a member counts as passive, and the lower cap and higher floor they then get. */
  engagement: EngagementPolicy.default(DEFAULT_ENGAGEMENT),
  /** When the club's own bounce and complaint rates pause its sending (docs/reliability.md 18). */
  reputation: DeliverabilityPolicy.default(DEFAULT_DELIVERABILITY),
  /**
   * Whether an offer held back by the budget rides along in the member's other mail of the planning
   * horizon (docs/decisions/0043-folded-offers.md); absent means yes.
   */
  foldOffers: z.boolean().optional(),
  /** Whether a campaign must be approved (core/approval.ts) before it can be scheduled; absent means no. */
  requireApproval: z.boolean().optional(),
  /** The club's own typed member attributes (home store, region…), which audience rules read (core/attributes.ts). */
  attributes: AttributeDeclarations.optional(),
  /**
   * Surveys and their follow-up: sample share, case owner and due time, comment topics (core/survey.ts);
   * absent means DEFAULT_FEEDBACK (read it with `feedbackOf`).
   */
  feedback: FeedbackSettings.optional(),
  createdAt: z.iso.datetime(),
});
export type Club = z.infer<typeof Club>;

/** The club's feedback settings, or the defaults for a club that set none. */
export function feedbackOf(club: Pick<Club, 'feedback'>): FeedbackSettings {
  return club.feedback ?? DEFAULT_FEEDBACK;
}

/** A product and its diet labelling (lambdas/core/diet.ts, docs/decisions/0017-labelling-model.md). */
export const Product = z.object({
  productId: Id,
  name: z.string().min(1).max(200),
  category: Category,
  contains: z.array(DietTag).default([]),
  /** Traces ("may contain"): a conflict, like `contains`. */
  mayContain: z.array(DietTag).optional(),
  /** Claims ("gluten-free"). A declared product is free of every tag it does not list anyway. */
  freeFrom: z.array(DietTag).default([]),
  /** Absent: the product is free only of what `freeFrom` claims (how products were stored before). */
  labelling: Labelling.optional(),
});
export type Product = z.infer<typeof Product>;

/**
 * A catalog import: up to 1,000 products, and the labelling of those that do not set their own
 * (e.g. `"declared"` for a retailer whose product data lists every allergen a product contains).
 */
export const ProductsImport = z.object({
  labelling: Labelling.optional(),
  products: z.array(Product).min(1).max(1000),
});
export type ProductsImport = z.infer<typeof ProductsImport>;

/** The products of an import, each with the import's labelling unless it has its own. */
export function importedProducts(input: ProductsImport): Product[] {
  const fallback = input.labelling;
  if (fallback === undefined) return input.products;
  return input.products.map((p) => (p.labelling === undefined ? { ...p, labelling: fallback } : p));
}

export const Offer = z.object({
  offerId: Id,
  productId: Id,
  /** Shown in the mail, e.g. "2 for 30 kr" or "20 % off". */
  headline: z.string().min(1).max(120),
  validUntil: z.iso.date().optional(),
});
export type Offer = z.infer<typeof Offer>;

/** An offer joined with its product: what the planner scores and the mail shows. */
export interface OfferWithProduct {
  readonly offer: Offer;
  readonly product: Product;
}

/** Where a campaign stands in its approval (core/approval.ts has the steps). */
export const ApprovalState = z.enum(['none', 'submitted', 'approved', 'returned']);
export type ApprovalState = z.infer<typeof ApprovalState>;

export const ApprovalComment = z.string().trim().min(1).max(2000);

export const CampaignApproval = z.object({
  state: ApprovalState,
  /** Who moved it to this state (a principal id, core/principal.ts) and when. */
  by: z.string().min(1).optional(),
  at: z.iso.datetime().optional(),
  /** The approver's words, required when sending a campaign back. */
  comment: ApprovalComment.optional(),
});
export type CampaignApproval = z.infer<typeof CampaignApproval>;

export const CampaignKind = z.enum(['offers', 'survey', 'note']);
export type CampaignKind = z.infer<typeof CampaignKind>;

export const CampaignStatus = z.enum(['draft', 'scheduled', 'planning', 'planned', 'cancelled']);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const Campaign = z.object({
  clubId: Id,
  campaignId: Id,
  name: z.string().min(1).max(120),
  theme: Emotion,
  /**
   * A specific theme from the library (built-in or the club's own); its emotion becomes `theme`.
   * Without it, the built-in theme of the `theme` emotion.
   */
  themeId: Id.optional(),
  /** The offers to choose from; empty for a survey or a note, which carry no offers. */
  offerPool: z.array(Id).max(500),
  offersPerMail: z.number().int().min(1).max(10).default(3),
  /** The best offer must score at least this for a member to be mailed. */
  relevanceFloor: z.number().min(0).max(1).optional(),
  /**
   * Offers mail; a survey (its own caps, the member's "surveys" topic, no offers budget); or a "you
   * said, we did" note (the offers budget and the "news" topic, to the members who raised its topic).
   */
  kind: CampaignKind.default('offers'),
  /** A survey's audience and questions (core/survey.ts); a survey without one is a relationship survey. */
  survey: SurveySpec.optional(),
  /** A note's topic and text (core/survey.ts). */
  note: FeedbackNote.optional(),
  /**
   * Weight in the competition for a member's budget: 1 regular, 2 important, 3 a big offer (which
   * also reaches members who chose "only my birthday and big offers").
   */
  priority: z.number().int().min(1).max(3).default(1),
  /** Share of the members who would get the mail that are held out as a control group (0–0.5). */
  holdoutShare: z.number().min(0).max(0.5).default(0),
  /** The marketer confirmed a theme that clashes with the brand (lambdas/core/brand-fit.ts). */
  brandFitOverride: z.boolean().default(false),
  /** A calendar or personal occasion: its own copy, and a fun fact the marketer may supply. */
  occasion: z.object({ id: Occasion, funFact: FunFact.optional() }).optional(),
  /** The campaign's own Liquid templates (lambdas/core/templates.ts); built-in ones otherwise. */
  template: MailTemplate.optional(),
  /** The saved audience the campaign is for (core/audience.ts); absent: every member. */
  audienceId: Id.optional(),
  sendAt: z.iso.datetime({ offset: true }),
  status: CampaignStatus,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  shardCount: z.number().int().min(1).optional(),
  /** Who created it (a principal id, core/principal.ts); absent on campaigns made before roles. */
  createdBy: z.string().min(1).optional(),
  /** Everyone who created, edited or submitted it: none of them may approve it. */
  authors: z.array(z.string().min(1)).max(50).optional(),
  approval: CampaignApproval.optional(),
  /** A run of a recurring automation (core/automation.ts): which one, and the occurrence it is. */
  automation: z.object({ automationId: Id, occurrence: z.iso.datetime() }).optional(),
  /**
   * A personal-occasion run: the local date whose occasions it mails, and the time each member gets it on
   * that date in their own time zone (docs/decisions/0040-recurring-automations.md).
   */
  personalDay: z.object({ date: z.iso.date(), time: ClockTime }).optional(),
});
export type Campaign = z.infer<typeof Campaign>;

export const Preferences = z.object({
  frequency: Frequency.default('club-default'),
  topics: z.array(Topic).default(['offers', 'news', 'events', 'surveys']),
  declaredRestrictions: z.array(Restriction).default([]),
  /** Inferred restrictions the member said are wrong; inference never re-adds them. */
  rejectedInferences: z.array(Restriction).default([]),
  pausedUntil: z.iso.datetime().optional(),
  /** Name-day mail is opt-in: only members who chose it get it. */
  nameDayMail: z.boolean().default(false),
  /**
   * Themes and topics the member asked for fewer mails of, from a mail's control (core/mail-controls.ts):
   * the planner halves their value for this member. Absent means none.
   */
  fewer: z.array(FewerKey).max(20).optional(),
  /** A transactional mail confirming an unsubscribe: sent unless this is false (absent means on). */
  unsubscribeConfirmation: z.boolean().optional(),
  /** When and from where the member last changed these (GDPR Art. 7: a record of the choice). */
  updatedAt: z.iso.datetime().optional(),
  updatedVia: z.string().min(1).max(40).optional(),
});
export type Preferences = z.infer<typeof Preferences>;

/**
 * One consent event: a grant (`marketing: true`) or a withdrawal (`marketing: false`), with the text
 * version the member saw, when, where it came from and the legal basis (docs/reliability.md 19). The
 * member's history of them is append-only; the effective consent is the latest (lambdas/core/consent.ts).
 */
export const Consent = z.object({
  marketing: z.boolean(),
  textVersion: z.string().min(1).max(100),
  at: z.iso.datetime(),
  source: z.string().min(1).max(100),
  legalBasis: z.enum(['consent', 'legitimate-interest']),
});
export type Consent = z.infer<typeof Consent>;

/** The most consent events one member keeps; a re-sync appends only events it has not seen. */
export const MAX_CONSENT_EVENTS = 200;

/** Whether the member wants marketing mail: their choice. */
export const Subscription = z.enum(['subscribed', 'unsubscribed']);
export type Subscription = z.infer<typeof Subscription>;

/** Whether mail can reach the member: what bounces and complaints told us. */
/** 'undeliverable': soft bounces kept coming (DeliverabilityPolicy.softBounceLimit). */
export const Deliverability = z.enum(['ok', 'undeliverable', 'bounced', 'complained']);
export type Deliverability = z.infer<typeof Deliverability>;

export const Member = z.object({
  clubId: Id,
  memberId: Id,
  email: z.email(),
  firstName: z.string().min(1).max(80),
  language: Language,
  timeZone: TimeZone.default('Europe/Stockholm'),
  /** For birthday mail; a member who does not give it gets none. */
  birthDate: z.iso.date().optional(),
  joinedAt: z.iso.datetime(),
  subscription: Subscription.default('subscribed'),
  subscriptionChangedAt: z.iso.datetime().optional(),
  deliverability: Deliverability.default('ok'),
  /** The member's latest open or click (a purchase counts too, from the profile). */
  lastEngagedAt: z.iso.datetime({ offset: true }).optional(),
  /** The effective consent: the latest event of `consentHistory` (or the only record of older members). */
  consent: Consent,
  /**
   * Every grant and withdrawal, oldest first (append-only). Absent on members stored before the
   * history existed: their history is `[consent]` (lambdas/core/consent.ts consentHistoryOf).
   */
  consentHistory: z.array(Consent).max(MAX_CONSENT_EVENTS).optional(),
  /** Set when the member chose `language` on their own page: from then on the member owns it, not the club. */
  languageChosenAt: z.iso.datetime().optional(),
  preferences: Preferences,
  /** Values of the club's declared attributes (club-owned, set by imports; core/attributes.ts). */
  attributes: AttributeValues.optional(),
});
export type Member = z.infer<typeof Member>;
