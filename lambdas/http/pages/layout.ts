import { html } from 'hono/html';
import { readable, textOn } from '../../core/contrast.js';
import type { Club, Language } from '../../core/model.js';
import { PAGE_COPY } from './copy.js';

/**
 * Markup made with hono's `html` tag: every interpolated value is escaped unless it is itself such
 * markup, so no page text or member data is escaped (or forgotten) by hand.
 */
export type Markup = ReturnType<typeof html>;

/**
 * The one answer for every link we cannot honour: unknown, tampered, truncated, expired, or a
 * member who no longer exists. Same status, same bytes, in all three languages (docs/reliability.md 8).
 */
export const INVALID_PAGE: Markup = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${PAGE_COPY.en.invalidTitle}</title></head>
<body><main>
<h1>${PAGE_COPY.en.invalidTitle}</h1><p>${PAGE_COPY.en.invalidBody}</p>
<h2 lang="sv">${PAGE_COPY.sv.invalidTitle}</h2><p lang="sv">${PAGE_COPY.sv.invalidBody}</p>
<h2 lang="da">${PAGE_COPY.da.invalidTitle}</h2><p lang="da">${PAGE_COPY.da.invalidBody}</p>
</main></body></html>`;

/**
 * A member page in the club's colours: a header with the club's name, the title and the content.
 * The only style is this block, allowed by the request's CSP nonce; there is no script at all.
 */
export function layout(page: {
  readonly club: Club;
  readonly language: Language;
  readonly title: string;
  readonly nonce: string;
  readonly content: Markup;
}): Markup {
  const { club, language, title, nonce, content } = page;
  const { primary, background } = club.brand.colours;
  // WCAG 2.1 AA (1.4.3): brand colours are used only where they keep 4.5:1; otherwise dark text.
  const onPrimary = textOn(primary);
  const text = readable(club.brand.colours.text, '#ffffff');
  const accent = readable(primary, '#ffffff', text);
  return html`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>
<style nonce="${nonce}">
body{margin:0;font-family:Arial,Helvetica,sans-serif;background:${background};color:${text};line-height:1.5}
header{background:${primary};color:${onPrimary};padding:16px 24px;font-size:20px;font-weight:bold}
main{max-width:640px;margin:24px auto;background:#fff;padding:24px;border-radius:8px}
h1{font-size:24px;margin-top:0}
h2{font-size:19px;margin:32px 0 8px}
dt{font-weight:bold;margin-top:12px}
fieldset{border:1px solid #767676;border-radius:6px;margin:0 0 16px;padding:8px 16px 12px}
legend{font-weight:bold;padding:0 4px}
label{display:block;padding:4px 0;cursor:pointer}
input[type=radio],input[type=checkbox]{width:18px;height:18px;margin:0 8px 0 0;vertical-align:-3px;accent-color:${accent}}
.help{color:#4a4a4a;margin:0 0 8px;font-size:15px}
button{background:${primary};color:${onPrimary};border:2px solid ${primary};border-radius:6px;padding:10px 18px;font-size:16px;cursor:pointer;margin:4px 8px 4px 0}
button.secondary{background:#fff;color:${accent};border-color:${accent}}
:focus-visible{outline:3px solid ${text};outline-offset:2px}
a{color:${accent}}
ul.inferred{list-style:none;padding:0}
ul.inferred li{display:flex;flex-wrap:wrap;align-items:center;gap:8px;justify-content:space-between;border-bottom:1px solid #dddddd;padding:4px 0}
ul.inferred form{margin:0}
.notice{padding:12px 16px;border-radius:6px;margin:0 0 16px;font-weight:bold}
.ok{background:#e6f4ea;color:#0b3d1a;border-left:6px solid #1e7a3c}
.error{background:#fdecea;color:#5c1010;border-left:6px solid #b3261e}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
</style></head>
<body><header>${club.name}</header><main>
<h1>${title}</h1>
${content}
</main></body></html>`;
}
