import { html, raw } from 'hono/html';
import { readable, textOn } from '../../core/contrast.js';
import type { Club, Language } from '../../core/model.js';
import type { Markup } from './layout.js';

/**
 * The survey page in the club's colours, one question per step, sized for a phone first. Style and
 * the optional script are allowed only by the request's CSP nonce; the page works without the script.
 */
export function surveyLayout(page: {
  readonly club: Club;
  readonly language: Language;
  /** The page's `h1`: the step ("Question 1 of 3") or the thank-you. */
  readonly title: string;
  /** The title is the page's message (the thank-you), not a step's label: shown large. */
  readonly prominent?: boolean;
  readonly nonce: string;
  readonly content: Markup;
  /** A script of our own (no eval, no remote code): the score page's recording after a few visible seconds. */
  readonly script?: string;
}): Markup {
  const { club, language, title, nonce, content } = page;
  const { primary, background } = club.brand.colours;
  // WCAG 2.1 AA (1.4.3, 1.4.11): brand colours only where they keep 4.5:1 (3:1 for borders).
  const onPrimary = textOn(primary);
  const text = readable(club.brand.colours.text, '#ffffff');
  const accent = readable(primary, '#ffffff', text);
  return html`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} – ${club.name}</title>
<style nonce="${nonce}">
body{margin:0;font-family:Arial,Helvetica,sans-serif;background:${background};color:${text};line-height:1.5;font-size:17px}
header{background:${primary};color:${onPrimary};padding:16px 20px;font-size:20px;font-weight:bold}
main{max-width:640px;margin:16px auto;background:#fff;padding:20px;border-radius:8px}
h1{font-size:16px;margin:0 0 8px;color:#4a4a4a;font-weight:normal}
h1.prominent{font-size:24px;color:inherit;font-weight:bold;margin-bottom:16px}
fieldset{border:0;margin:0 0 16px;padding:0;min-width:0}
legend,.question{font-weight:bold;font-size:20px;line-height:1.35;padding:0;margin:0 0 12px}
.options{display:grid;grid-template-columns:repeat(auto-fit,minmax(48px,1fr));gap:6px}
.option{display:flex;flex-direction:column;align-items:center;gap:2px;border:2px solid #767676;border-radius:6px;padding:8px 0;cursor:pointer;font-weight:bold;font-size:18px}
.option:has(input:checked){border-color:${accent};background:#f2f2f2;box-shadow:inset 0 0 0 2px ${accent}}
.option input{width:20px;height:20px;margin:0;accent-color:${accent}}
.ends{display:flex;justify-content:space-between;gap:12px;font-size:15px;color:#4a4a4a;margin:6px 0 0}
textarea{width:100%;box-sizing:border-box;min-height:140px;font:inherit;padding:8px;border:2px solid #767676;border-radius:6px}
.help{color:#4a4a4a;margin:0 0 8px;font-size:15px}
.actions{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin-top:16px}
button{background:${primary};color:${onPrimary};border:2px solid ${primary};border-radius:6px;padding:12px 22px;font-size:17px;cursor:pointer;min-height:48px}
a{color:${accent}}
:focus-visible{outline:3px solid ${text};outline-offset:2px}
.notice{padding:12px 16px;border-radius:6px;margin:0 0 16px;font-weight:bold}
.notice:empty{padding:0;margin:0}
.ok{background:#e6f4ea;color:#0b3d1a;border-left:6px solid #1e7a3c}
.error{background:#fdecea;color:#5c1010;border-left:6px solid #b3261e}
.info{background:#eef3fb;color:#102a52;border-left:6px solid #3a5f9e}
</style></head>
<body><header>${club.name}</header><main>
<h1 id="title"${page.prominent ? raw(' class="prominent"') : ''}>${title}</h1>
${content}
</main>${page.script ? html`<script nonce="${nonce}">${raw(page.script)}</script>` : ''}</body></html>`;
}
