import { CHROME_COPY } from './copy.js';
import { html, type Markup } from './html.js';
import { ALSO_THIS_WEEK, MAIL_CONTROLS_COPY, type MailControl, MailControl as MailControls } from './mail-controls.js';
import type { OfferWithProduct } from './model.js';
import type { Language } from './vocabulary.js';

/** A block of a mail in both its parts. */
export interface MailBlock {
  readonly html: Markup;
  readonly text: readonly string[];
}

/**
 * "Also this week": offers of campaigns the budget held back for the member, riding along
 * (docs/decisions/0043-folded-offers.md). A heading and a plain list, so a screen reader announces it.
 */
export function alsoThisWeekBlock(
  offers: readonly OfferWithProduct[],
  language: Language,
  textColour: string,
): MailBlock {
  if (offers.length === 0) return { html: html``, text: [] };
  const chrome = CHROME_COPY[language];
  const heading = ALSO_THIS_WEEK[language];
  const items = offers.map((o) => {
    const until = o.offer.validUntil ? ` (${chrome.validUntil} ${o.offer.validUntil})` : '';
    return { name: o.product.name, headline: o.offer.headline, until };
  });
  return {
    html: html`<h2 style="margin:24px 0 8px;font-size:18px;color:${textColour}">${heading}</h2>
<ul style="margin:0;padding:0 0 0 20px">${items.map(
      (i) => html`<li style="margin:0 0 6px"><strong>${i.name}</strong>: ${i.headline}${i.until}</li>`,
    )}</ul>`,
    text: ['', `${heading}:`, ...items.map((i) => `- ${i.name}: ${i.headline}${i.until}`)],
  };
}

/**
 * The controls inside every offers mail (docs/decisions/0042-in-mail-controls.md): three plain links,
 * each to a page that asks once; in the plain-text part as well.
 */
export function controlsBlock(
  links: Readonly<Record<MailControl, string>>,
  language: Language,
  accent: string,
): MailBlock {
  const copy = MAIL_CONTROLS_COPY[language];
  return {
    html: html`<p style="margin:0 0 4px;font-weight:bold">${copy.heading}</p>
<ul style="margin:0 0 12px;padding:0 0 0 20px">${MailControls.options.map(
      (c) => html`<li style="margin:0 0 4px"><a href="${links[c]}" style="color:${accent}">${copy.links[c]}</a></li>`,
    )}</ul>`,
    text: [copy.heading, ...MailControls.options.map((c) => `- ${copy.links[c]}: ${links[c]}`)],
  };
}
