import { html, raw } from 'hono/html';
import { PauseLength } from '../../app/preferences.js';
import { Restriction } from '../../core/diet.js';
import { type Club, Frequency, Language, type Member, Topic } from '../../core/model.js';
import type { MemberState } from '../../core/ports.js';
import { PAGE_COPY, type PageCopy } from './copy.js';
import type { Markup } from './layout.js';

/** A confirmation after a change, or an error the member must see: announced by screen readers. */
export type Notice = { readonly kind: 'ok' | 'error'; readonly text: string };

/** Each language's name in that language, so a member can find their own. */
const NATIVE_NAMES: Readonly<Record<Language, string>> = { sv: 'Svenska', da: 'Dansk', en: 'English' };

/** Markup items one per line. */
const lines = (items: readonly Markup[]) => items.map((item, i) => (i === 0 ? item : html`\n${item}`));
const checked = (on: boolean) => (on ? raw(' checked') : '');

function noticeView(notice: Notice | undefined): Markup | '' {
  if (!notice) return '';
  return notice.kind === 'ok'
    ? html`<p class="notice ok" role="status">${notice.text}</p>`
    : html`<p class="notice error" role="alert">${notice.text}</p>`;
}

function formatDate(iso: string, copy: PageCopy, member: Member): string {
  return new Intl.DateTimeFormat(copy.locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: member.timeZone,
  }).format(new Date(iso));
}

/** RFC 8058's human side: a GET only asks; the button posts the same one-click form a mail provider would. */
export function confirmUnsubscribeView(copy: PageCopy, preferencesLink: string): Markup {
  return html`<p>${copy.confirmBody}</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${copy.confirmButton}</button></form>
<p><a href="${preferencesLink}">${copy.ratherLess}</a></p>`;
}

export function unsubscribedView(copy: PageCopy, club: Club): Markup {
  return html`<p role="status">${copy.doneBody(club.name)}</p>`;
}

export function erasedView(copy: PageCopy, club: Club): Markup {
  return html`<p role="status">${copy.erasedBody(club.name)}</p>`;
}

/** The preference page: plain forms, each a POST that saves at once; no script at all. */
export function preferencesView(view: {
  readonly state: MemberState;
  readonly token: string;
  readonly csrf: string;
  readonly now: Date;
  readonly notice?: Notice | undefined;
}): Markup {
  const { member, profile } = view.state;
  const prefs = member.preferences;
  const copy = PAGE_COPY[member.language];
  const base = `/p/${view.token}`;
  const hidden = (action: string) =>
    html`<input type="hidden" name="csrf" value="${view.csrf}"><input type="hidden" name="action" value="${action}">`;
  const subscribed = member.subscription === 'subscribed';
  const paused = prefs.pausedUntil !== undefined && Date.parse(prefs.pausedUntil) > view.now.getTime();
  const inferred = profile.inferredRestrictions.filter((r) => !prefs.rejectedInferences.includes(r));

  const frequency = Frequency.options.map(
    (f) =>
      html`<label><input type="radio" name="frequency" value="${f}"${checked(prefs.frequency === f)}>${copy.frequencies[f]}</label>`,
  );
  const topics = Topic.options.map(
    (t) =>
      html`<label><input type="checkbox" name="topics" value="${t}"${checked(prefs.topics.includes(t))}>${copy.topicNames[t]}</label>`,
  );
  const declared = Restriction.options.map(
    (r) =>
      html`<label><input type="checkbox" name="declared" value="${r}"${checked(prefs.declaredRestrictions.includes(r))}>${copy.restrictionNames[r]}</label>`,
  );
  const languages = Language.options.map(
    (l) =>
      html`<label><input type="radio" name="language" value="${l}"${checked(member.language === l)}><span lang="${l}">${NATIVE_NAMES[l]}</span></label>`,
  );
  const inferredList =
    inferred.length === 0
      ? html`<p>${copy.none}</p>`
      : html`<ul class="inferred">${lines(
          inferred.map(
            (r) =>
              html`<li><span>${copy.restrictionNames[r]}</span><form method="post" action="${base}">${hidden('reject-inference')}<input type="hidden" name="restriction" value="${r}"><button type="submit" class="secondary">${copy.removeInference}<span class="vh">: ${copy.restrictionNames[r]}</span></button></form></li>`,
          ),
        )}</ul>`;
  const pause = paused
    ? html`<p>${copy.pausedUntil(formatDate(prefs.pausedUntil ?? '', copy, member))}</p>
<form method="post" action="${base}">${hidden('resume')}<button type="submit" class="secondary">${copy.resume}</button></form>`
    : html`<form method="post" action="${base}">${hidden('pause')}${PauseLength.options.map(
        (l) =>
          html`<button type="submit" name="pause" value="${l}" class="secondary">${copy.pauseFor(copy.pauseLengths[l])}</button>`,
      )}</form>`;
  const unsubscribe = subscribed
    ? html`<section aria-labelledby="unsubscribe-title"><h2 id="unsubscribe-title">${copy.unsubscribeTitle}</h2>
<p class="help">${copy.unsubscribeHelp}</p>
<form method="post" action="${base}/unsubscribe"><input type="hidden" name="csrf" value="${view.csrf}"><button type="submit">${copy.unsubscribeAll}</button></form>
</section>`
    : '';

  return html`${noticeView(view.notice)}<p>${copy.greeting(member.firstName)} ${copy.intro}</p>
<p><strong>${copy.status}:</strong> ${subscribed ? copy.subscribed : copy.unsubscribed}</p>
<form method="post" action="${base}">${hidden('save')}
<fieldset><legend>${copy.frequency}</legend>
${lines(frequency)}
</fieldset>
<fieldset><legend>${copy.topics}</legend>
${lines(topics)}
</fieldset>
<fieldset><legend>${copy.declaredLegend}</legend>
<p class="help">${copy.declaredHelp}</p>
${lines(declared)}
</fieldset>
<fieldset><legend>${copy.language}</legend>
${lines(languages)}
</fieldset>
<fieldset><legend>${copy.otherMail}</legend>
<label><input type="checkbox" name="nameDayMail"${checked(prefs.nameDayMail)}>${copy.nameDayMail}</label>
<label><input type="checkbox" name="confirmation"${checked(prefs.unsubscribeConfirmation !== false)}>${copy.confirmationMail}</label>
</fieldset>
<button type="submit">${copy.save}</button>
</form>
<section aria-labelledby="inferred-title"><h2 id="inferred-title">${copy.inferredTitle}</h2>
<p class="help">${copy.inferredHelp}</p>
${inferredList}
</section>
<section aria-labelledby="pause-title"><h2 id="pause-title">${copy.pauseTitle}</h2>
<p class="help">${copy.pauseHelp}</p>
${pause}
</section>
${unsubscribe}
<section aria-labelledby="data-title"><h2 id="data-title">${copy.dataTitle}</h2>
<p><a href="${base}/export" download>${copy.exportLink}</a></p>
<p class="help">${copy.eraseHelp}</p>
<form method="post" action="${base}/erase"><input type="hidden" name="csrf" value="${view.csrf}">
<label><input type="checkbox" name="confirm" value="yes" required>${copy.eraseConfirm}</label>
<button type="submit" class="secondary">${copy.eraseButton}</button>
</form>
</section>`;
}
