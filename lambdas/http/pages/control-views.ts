import { html } from 'hono/html';
import type { ControlPageCopy } from './control-copy.js';
import type { Markup } from './layout.js';

/**
 * A control's question: what the one button will change, and the button, a POST with the form token.
 * A GET of this page (a link scanner's, or the member's) changes nothing.
 */
export function confirmControlView(view: {
  readonly copy: ControlPageCopy;
  /** Where the button posts: the page's own address. */
  readonly action: string;
  readonly csrf: string;
  readonly preferencesLink: string;
  readonly morePreferences: string;
  readonly error?: string;
}): Markup {
  const error = view.error ? html`<p class="notice error" role="alert">${view.error}</p>` : '';
  return html`${error}<p>${view.copy.ask}</p>
<form method="post" action="${view.action}"><input type="hidden" name="csrf" value="${view.csrf}"><button type="submit">${view.copy.button}</button></form>
<p><a href="${view.preferencesLink}">${view.morePreferences}</a></p>`;
}

/** What the POST changed (or that it was the member's choice already), and the way to the preference centre. */
export function controlDoneView(view: {
  readonly text: string;
  readonly already?: string;
  readonly preferencesLink: string;
  readonly morePreferences: string;
}): Markup {
  const already = view.already ? html` ${view.already}` : '';
  return html`<p class="notice ok" role="status">${view.text}${already}</p>
<p><a href="${view.preferencesLink}">${view.morePreferences}</a></p>`;
}
