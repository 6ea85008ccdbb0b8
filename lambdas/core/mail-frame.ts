import { readable } from './contrast.js';
import { html, type Markup } from './html.js';
import { MAX_HEADER_LENGTH, MailRenderError, type RenderedMail } from './mail.js';
import type { Club, Language } from './model.js';

/**
 * The frame of a survey or note mail: the club's header, the content, and the footer with why the
 * member gets it, the preference and unsubscribe links and the postal address. Tables and inline
 * CSS, 600 px, one column, as the offers mail (core/mail.ts), so it renders alike in Outlook, Gmail
 * and Apple Mail; no script, no tracking pixel.
 */
export interface FramedMail {
  readonly club: Club;
  readonly language: Language;
  readonly subject: string;
  readonly preheader: string;
  readonly content: Markup;
  /** The plain-text part's content (the frame adds the footer). */
  readonly text: string;
  readonly footer: {
    readonly why: string;
    readonly preferencesLabel: string;
    readonly unsubscribeLabel: string;
  };
  readonly links: { readonly unsubscribe: string; readonly preferences: string };
  /** Markup after the footer that no person sees (a survey's honeypot link). */
  readonly hidden?: Markup;
}

/** The colour links and outlined buttons use on white: the brand's primary where it reads at 4.5:1. */
export function accentOnWhite(club: Club): string {
  return readable(club.brand.colours.primary, '#ffffff', readable(club.brand.colours.text, '#ffffff'));
}

export function frameMail(mail: FramedMail): RenderedMail {
  const { club, links, footer } = mail;
  const listUnsubscribe = `<${links.unsubscribe}>`;
  if (listUnsubscribe.length > MAX_HEADER_LENGTH || !/^[\x20-\x7e]+$/.test(listUnsubscribe)) {
    throw new MailRenderError('List-Unsubscribe must be printable ASCII and at most 870 characters');
  }
  const colours = club.brand.colours;
  const accent = accentOnWhite(club);
  const logo = club.brand.logoUrl
    ? html`<img src="${club.brand.logoUrl}" alt="${club.name}" height="32" style="display:block;border:0;height:32px">`
    : club.name;
  const page = html`<!doctype html>
<html lang="${mail.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light"><title>${mail.subject}</title>
<style>@media (max-width:620px){.frame{width:100% !important}.pad{padding:16px !important}}</style></head>
<body style="margin:0;padding:0;background:${colours.background}">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${mail.preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:${colours.background}"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" class="frame" width="600" cellpadding="0" cellspacing="0" style="width:600px;max-width:600px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;color:${colours.text}">
<tr><td style="background:${colours.primary};color:#ffffff;padding:16px 24px;font-size:20px;font-weight:bold">${logo}</td></tr>
<tr><td class="pad" style="padding:24px;color:${colours.text}">
${mail.content}
</td></tr>
<tr><td class="pad" style="padding:16px 24px;font-size:12px;line-height:1.5;color:#555555;border-top:1px solid #e5e5e5">
<p style="margin:0 0 8px">${footer.why}</p>
<p style="margin:0 0 8px"><a href="${links.preferences}" style="color:${accent}">${footer.preferencesLabel}</a> · <a href="${links.unsubscribe}" style="color:${accent}">${footer.unsubscribeLabel}</a></p>
<p style="margin:0">${club.name}, ${club.postalAddress}</p>
</td></tr></table></td></tr></table>${mail.hidden ?? ''}</body></html>`;
  const text = [
    mail.text,
    '',
    '--',
    footer.why,
    `${footer.preferencesLabel}: ${links.preferences}`,
    `${footer.unsubscribeLabel}: ${links.unsubscribe}`,
    `${club.name}, ${club.postalAddress}`,
  ].join('\n');
  return {
    subject: mail.subject,
    preheader: mail.preheader,
    html: page.value,
    text,
    headers: [
      { name: 'List-Unsubscribe', value: listUnsubscribe },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ],
  };
}
