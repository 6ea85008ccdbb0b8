import { createHash } from 'node:crypto';
import { BUILT_IN_OCCASIONS } from './built-in-occasions.js';
import { BUILT_IN_THEMES } from './built-in-themes.js';
import { readable } from './contrast.js';
import { CHROME_COPY } from './copy.js';
import type { Restriction } from './diet.js';
import { ClubPlannerError } from './errors.js';
import { html, type Markup, trustedMarkup } from './html.js';
import { alsoThisWeekBlock, controlsBlock } from './mail-blocks.js';
import type { MailControl } from './mail-controls.js';
import type { Club, Emotion, Member, OfferWithProduct } from './model.js';
import { oneSafeLine } from './safe-text.js';
import type { PickWhy } from './scoring.js';
import { DEFAULT_TEMPLATE, type MailTemplate, renderPart, type TemplateContext } from './templates.js';
import { fillPlaceholders, type OccasionId, occasionCopy, type Theme, themeCopy } from './theme-library.js';

export interface MailOffer extends OfferWithProduct {
  readonly why: PickWhy;
  /** With `diet-choice`: the restriction the choice is for. */
  readonly diet?: Restriction | undefined;
}

export interface MailOccasion {
  readonly id: OccasionId;
  /** Supplied by the marketer, e.g. how many roses are sold on Valentine's Day. */
  readonly funFact?: string;
  readonly yearsAsMember?: number;
}

export interface RenderInput {
  readonly club: Club;
  readonly member: Member;
  readonly theme: Emotion;
  readonly offers: readonly MailOffer[];
  /** Offers of campaigns the budget held back for the member, riding along (core/fold.ts). */
  readonly alsoThisWeek?: readonly MailOffer[];
  readonly links: {
    readonly unsubscribe: string;
    readonly preferences: string;
    /** The in-mail controls' signed links (core/mail-controls.ts); every offers mail that is sent has them. */
    readonly controls?: Readonly<Record<MailControl, string>>;
  };
  readonly occasion?: MailOccasion;
  /** The campaign's own Liquid templates; the built-in ones for any part left out. */
  readonly template?: MailTemplate;
  /** Chooses among the copy's subject and preheader variants, the same on every retry (the send id). */
  readonly variantKey?: string;
  /** A theme by id from the built-in library plus the club's own `themes`; else the built-in one for `theme`. */
  readonly themeId?: string;
  readonly themes?: readonly Theme[];
}

export interface RenderedMail {
  readonly subject: string;
  readonly preheader: string;
  readonly html: string;
  readonly text: string;
  /** RFC 2369 / RFC 8058 headers, sent with every marketing mail. */
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/** SES rejects longer header values (docs/reliability.md 2). */
export const MAX_HEADER_LENGTH = 870;

export class MailRenderError extends ClubPlannerError {
  constructor(message: string) {
    super(message);
    this.name = 'MailRenderError';
  }
}

/**
 * One mail: the theme's (or occasion's) copy in the member's language and the brand's address,
 * the campaign's Liquid templates for subject and content, and the frame around them in code
 * (preheader, brand colours, call to action, and the footer with "why you got this", preference and
 * unsubscribe links and the postal address). Tables and inline CSS, 600 px, one column: what renders
 * in Outlook, Gmail and Apple Mail alike (docs/decisions/0007-themes-and-mail.md). A template that
 * cannot render throws TemplateError: no mail with a hole in it is ever sent.
 */
export function renderMail(input: RenderInput): RenderedMail {
  const { club } = input;
  // A member whose language the club does not mail in reads the club's own language.
  const language =
    !club.languages || club.languages.includes(input.member.language) ? input.member.language : club.language;
  const member = { ...input.member, language };
  const chrome = CHROME_COPY[member.language];
  const address = club.brand.address;
  const occasion = input.occasion;
  const forOccasion = occasion ? occasionCopy(BUILT_IN_OCCASIONS, occasion.id, member.language, address) : undefined;
  const block =
    forOccasion ??
    themeCopy([...BUILT_IN_THEMES, ...(input.themes ?? [])], input.themeId ?? input.theme, member.language, address);
  const values = {
    first_name: member.firstName,
    years_as_member: String(occasion?.yearsAsMember ?? 0),
    fun_fact: occasion?.funFact ?? '',
  };
  const fill = (text: string) => fillPlaceholders(text, values);
  const pick = (variants: readonly string[]) =>
    variants[variantIndex(input.variantKey ?? member.memberId, variants.length)] ?? variants[0] ?? '';
  const funFactIntro = occasion?.funFact && forOccasion?.funFactIntro ? fill(forOccasion.funFactIntro) : '';

  const context: TemplateContext = {
    member: { first_name: member.firstName },
    club: { name: club.name },
    brand: { primary: club.brand.colours.primary, text: club.brand.colours.text },
    copy: {
      subject: fill(pick(block.subjects)),
      preheader: fill(pick(block.preheaders)),
      headline: fill(block.headline),
      intro: fill(block.intro),
      closing: fill(block.closing),
      cta_label: fill(block.cta.label),
    },
    offers: input.offers.map((o) => ({
      name: o.product.name,
      headline: o.offer.headline,
      reason: chrome.why({
        product: o.product.name,
        category: o.product.category,
        ...(o.diet ? { diet: o.diet } : {}),
      })[o.why],
      valid_until: o.offer.validUntil ?? '',
    })),
    occasion: { id: occasion?.id ?? '', fun_fact: funFactIntro, years_as_member: occasion?.yearsAsMember ?? 0 },
    links: { preferences: input.links.preferences, offers: club.offersUrl ?? '' },
    labels: { valid_until: chrome.validUntil },
  };
  const template = { ...DEFAULT_TEMPLATE, ...input.template };
  // A rendered subject may hold a member's name: no control, line-break or bidi character reaches the header.
  const subject = oneSafeLine(renderPart('subject', template.subject, context));
  const content = renderPart('html', template.html, context);
  const textContent = renderPart('text', template.text, context)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const preheader = context.copy.preheader;

  const listUnsubscribe = `<${input.links.unsubscribe}>`;
  if (listUnsubscribe.length > MAX_HEADER_LENGTH || !/^[\x20-\x7e]+$/.test(listUnsubscribe)) {
    throw new MailRenderError('List-Unsubscribe must be printable ASCII and at most 870 characters');
  }

  const colours = club.brand.colours;
  const accent = readable(colours.primary, '#ffffff', readable(colours.text, '#ffffff'));
  const also = alsoThisWeekBlock(input.alsoThisWeek ?? [], member.language, colours.text);
  const controls = input.links.controls ? controlsBlock(input.links.controls, member.language, accent) : undefined;
  const cta = club.offersUrl ? ctaButton(block.cta.style, context.copy.cta_label, club.offersUrl, colours.primary) : '';
  const logo = club.brand.logoUrl
    ? html`<img src="${club.brand.logoUrl}" alt="${club.name}" height="32" style="display:block;border:0;height:32px">`
    : club.name;
  const page = html`<!doctype html>
<html lang="${member.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light"><title>${subject}</title>
<style>@media (max-width:620px){.frame{width:100% !important}.pad{padding:16px !important}}</style></head>
<body style="margin:0;padding:0;background:${colours.background}">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:${colours.background}"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" class="frame" width="600" cellpadding="0" cellspacing="0" style="width:600px;max-width:600px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;color:${colours.text}">
<tr><td style="background:${colours.primary};color:#ffffff;padding:16px 24px;font-size:20px;font-weight:bold">${logo}</td></tr>
<tr><td class="pad" style="padding:24px;color:${colours.text}">
${trustedMarkup(content)}
${also.html}
${cta}
</td></tr>
${controls ? html`<tr><td class="pad" style="padding:12px 24px;font-size:14px;line-height:1.5;color:${colours.text};border-top:1px solid #e5e5e5">${controls.html}</td></tr>` : ''}
<tr><td class="pad" style="padding:16px 24px;font-size:12px;line-height:1.5;color:#555555;border-top:1px solid #e5e5e5">
<p style="margin:0 0 8px">${chrome.whyThisMail(club.name)}</p>
<p style="margin:0 0 8px"><a href="${input.links.preferences}" style="color:${colours.primary}">${chrome.preferences}</a> · <a href="${input.links.unsubscribe}" style="color:${colours.primary}">${chrome.unsubscribe}</a></p>
<p style="margin:0">${club.name}, ${club.postalAddress}</p>
</td></tr></table></td></tr></table></body></html>`;

  const text = [
    textContent,
    ...also.text,
    ...(club.offersUrl ? ['', `${context.copy.cta_label}: ${club.offersUrl}`] : []),
    ...(controls ? ['', ...controls.text] : []),
    '',
    '--',
    chrome.whyThisMail(club.name),
    `${chrome.preferences}: ${input.links.preferences}`,
    `${chrome.unsubscribe}: ${input.links.unsubscribe}`,
    `${club.name}, ${club.postalAddress}`,
  ].join('\n');

  return {
    subject,
    preheader,
    html: page.value,
    text,
    headers: [
      { name: 'List-Unsubscribe', value: listUnsubscribe },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ],
  };
}

/** The call to action in the theme's style: a filled button, an outlined one, or a plain link. */
function ctaButton(style: 'solid' | 'outline' | 'text', label: string, href: string, colour: string): Markup {
  if (style === 'text')
    return html`<p style="margin:24px 0 0"><a href="${href}" style="color:${colour};font-weight:bold">${label} →</a></p>`;
  const look =
    style === 'solid'
      ? `background:${colour};color:#ffffff;border:2px solid ${colour}`
      : `background:#ffffff;color:${colour};border:2px solid ${colour}`;
  return html`<table role="presentation" cellpadding="0" cellspacing="0" style="margin:24px 0 0"><tr><td style="border-radius:4px;${look}"><a href="${href}" style="display:inline-block;padding:12px 20px;font-size:16px;font-weight:bold;text-decoration:none;color:inherit">${label}</a></td></tr></table>`;
}

/** Subjects are one line: a template's newline would otherwise end up in a header. */
function variantIndex(key: string, count: number): number {
  if (count <= 1) return 0;
  return createHash('sha256').update(key).digest().readUInt32BE(0) % count;
}
