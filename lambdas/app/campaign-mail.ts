import type { SendJob } from '../core/jobs.js';
import { type MailOffer, type RenderedMail, renderMail } from '../core/mail.js';
import type { MailControl } from '../core/mail-controls.js';
import type { Campaign, Club, Member } from '../core/model.js';
import { renderNoteMail } from '../core/note-mail.js';
import { yearsAsMember } from '../core/occasions.js';
import { DEFAULT_SURVEY } from '../core/survey.js';
import { renderSurveyMail } from '../core/survey-mail.js';
import { signToken, type TokenKeys } from '../core/tokens.js';
import { assertNever } from '../core/units.js';
import type { CatalogEntry } from './send-batch-cache.js';

/**
 * How long a survey's links take answers: after two months an answer says little about the
 * experience it was asked about. The unsubscribe and preference links last 400 days, the longest of all member links.
 */
export const SURVEY_LINK_DAYS = 60;

export interface CampaignMailInput {
  readonly club: Club;
  readonly campaign: Campaign;
  readonly catalog: CatalogEntry;
  readonly member: Member;
  readonly offers: readonly MailOffer[];
  /** Offers of held-back campaigns riding along (core/fold.ts). */
  readonly alsoThisWeek?: readonly MailOffer[];
  readonly job: SendJob;
  readonly keys: TokenKeys;
  /** Where member pages live (no trailing slash). */
  readonly base: string;
  readonly now: Date;
}

/**
 * The mail of one send job, by the campaign's kind: offers mail (core/mail.ts), a survey with its
 * score links (core/survey-mail.ts), or a "you said, we did" note (core/note-mail.ts). Every one
 * carries the member's signed unsubscribe and preference links. Throws TemplateError when an offers
 * campaign's own template cannot render.
 */
export function renderCampaignMail(input: CampaignMailInput): RenderedMail {
  const { club, campaign, member, job, keys, base, now } = input;
  const { clubId, memberId } = job;
  const token = (purpose: 'unsubscribe' | 'preferences') => signToken(keys, { purpose, clubId, memberId }, now);
  // The in-mail controls (core/mail-controls.ts), signed for this member and this campaign's mail.
  const control = signToken(keys, { purpose: 'control', clubId, memberId, campaignId: campaign.campaignId }, now);
  const link = (c: MailControl) => `${base}/c/${control}/${c}`;
  const links = {
    unsubscribe: `${base}/u/${token('unsubscribe')}`,
    preferences: `${base}/p/${token('preferences')}`,
    controls: { fewer: link('fewer'), pause: link('pause'), 'occasions-only': link('occasions-only') },
  };
  switch (campaign.kind) {
    case 'survey': {
      const survey = signToken(
        keys,
        { purpose: 'survey', clubId, memberId, campaignId: campaign.campaignId },
        now,
        SURVEY_LINK_DAYS,
      );
      const spec = campaign.survey ?? DEFAULT_SURVEY;
      return renderSurveyMail({
        club,
        member,
        survey: spec,
        ...(spec.type === 'after-purchase' && job.lastPurchaseAt ? { purchasedAt: job.lastPurchaseAt } : {}),
        links: {
          ...links,
          score: (score) => `${base}/s/${survey}?score=${score}`,
          honeypot: `${base}/s/${survey}/x`,
        },
      });
    }
    case 'note': {
      if (!campaign.note) throw new RangeError(`note campaign ${campaign.campaignId} has no note`);
      return renderNoteMail({ club, member, note: campaign.note, links });
    }
    case 'offers': {
      return renderMail({
        club,
        member,
        theme: job.theme,
        offers: input.offers,
        ...(input.alsoThisWeek && input.alsoThisWeek.length > 0 ? { alsoThisWeek: input.alsoThisWeek } : {}),
        links,
        ...(campaign.occasion
          ? {
              occasion: {
                id: campaign.occasion.id,
                ...(campaign.occasion.funFact ? { funFact: campaign.occasion.funFact } : {}),
                yearsAsMember: yearsAsMember(member.joinedAt.slice(0, 10), now.toISOString().slice(0, 10)),
              },
            }
          : {}),
        ...(campaign.template ? { template: campaign.template } : {}),
        variantKey: job.sendId,
        ...(campaign.themeId ? { themeId: campaign.themeId, themes: input.catalog.themes } : {}),
      });
    }
    default:
      return assertNever(campaign.kind);
  }
}
