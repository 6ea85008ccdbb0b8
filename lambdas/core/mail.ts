import { CHROME_COPY, THEME_COPY } from './copy.js';
import type { Club, Emotion, Member, OfferWithProduct } from './model.js';
import type { PickWhy } from './offers.js';

export interface MailOffer extends OfferWithProduct {
  readonly why: PickWhy;
}

export interface RenderInput {
  readonly club: Club;
  readonly member: Member;
  readonly theme: Emotion;
  readonly offers: readonly MailOffer[];
  readonly links: { readonly unsubscribe: string; readonly preferences: string };
}

export interface RenderedMail {
  readonly subject: string;
  readonly preheader: string;
  readonly html: string;
  readonly text: string;
  /** RFC 2369 / RFC 8058 headers, sent with every marketing mail. */
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/** SES rejects longer header values (RELIABILITY.md 2). */
export const MAX_HEADER_LENGTH = 870;

export class MailRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailRenderError';
  }
}

export function renderMail(input: RenderInput): RenderedMail {
  const { club, member } = input;
  const copy = THEME_COPY[input.theme][member.language];
  const chrome = CHROME_COPY[member.language];
  const fill = (s: string) => s.replaceAll('{name}', () => member.firstName);
  const subject = fill(copy.subject);
  const preheader = copy.preheader;
  const headline = fill(copy.headline);
  const colours = club.brand.colours;

  const offers = input.offers.map((o) => ({
    name: o.product.name,
    headline: o.offer.headline,
    validUntil: o.offer.validUntil,
    reason: chrome.why({ product: o.product.name, category: o.product.category })[o.why],
  }));

  const listUnsubscribe = `<${input.links.unsubscribe}>`;
  if (listUnsubscribe.length > MAX_HEADER_LENGTH || !/^[\x20-\x7e]+$/.test(listUnsubscribe)) {
    throw new MailRenderError('List-Unsubscribe must be printable ASCII and at most 870 characters');
  }

  const e = escapeHtml;
  const offerRows = offers
    .map(
      (o) => `<tr><td style="padding:12px 0;border-bottom:1px solid #e5e5e5">
<div style="font-size:18px;font-weight:bold;color:${colours.text}">${e(o.name)}</div>
<div style="font-size:16px;color:${colours.primary};font-weight:bold">${e(o.headline)}</div>
<div style="font-size:14px;color:#555555">${e(o.reason)}${o.validUntil ? ` · ${e(chrome.validUntil)} ${e(o.validUntil)}` : ''}</div>
</td></tr>`,
    )
    .join('\n');

  const html = `<!doctype html>
<html lang="${member.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(subject)}</title></head>
<body style="margin:0;padding:0;background:${colours.background}">
<div style="display:none;max-height:0;overflow:hidden">${e(preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:${colours.background}"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;color:${colours.text}">
<tr><td style="background:${colours.primary};color:#ffffff;padding:16px 24px;font-size:20px;font-weight:bold">${e(club.name)}</td></tr>
<tr><td style="padding:24px"><h1 style="margin:0 0 12px;font-size:24px">${e(headline)}</h1><p style="margin:0 0 16px;font-size:16px;line-height:1.5">${e(copy.intro)}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
${offerRows}
</table></td></tr>
<tr><td style="padding:16px 24px;font-size:12px;line-height:1.5;color:#555555;border-top:1px solid #e5e5e5">
<p style="margin:0 0 8px">${e(chrome.whyThisMail(club.name))}</p>
<p style="margin:0 0 8px"><a href="${e(input.links.preferences)}" style="color:${colours.primary}">${e(chrome.preferences)}</a> · <a href="${e(input.links.unsubscribe)}" style="color:${colours.primary}">${e(chrome.unsubscribe)}</a></p>
<p style="margin:0">${e(club.name)}, ${e(club.postalAddress)}</p>
</td></tr></table></td></tr></table></body></html>`;

  const text = [
    headline,
    '',
    copy.intro,
    '',
    ...offers.map((o) => `* ${o.name}: ${o.headline}\n  ${o.reason}${o.validUntil ? ` (${chrome.validUntil} ${o.validUntil})` : ''}`),
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
    html,
    text,
    headers: [
      { name: 'List-Unsubscribe', value: listUnsubscribe },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ],
  };
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
