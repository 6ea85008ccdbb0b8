import { html, raw } from 'hono/html';
import type { Language } from '../../core/model.js';
import type { ClubQuestion } from '../../core/survey.js';
import { SURVEY_COPY } from '../../core/survey-copy.js';
import type { Markup } from './layout.js';
import { SURVEY_PAGE_COPY } from './survey-copy.js';

/** A message on the page: a confirmation (status), a problem (alert) or a note (neither, read in order). */
export type SurveyNotice = { readonly kind: 'ok' | 'error' | 'info'; readonly text: string };

const checked = (on: boolean) => (on ? raw(' checked') : '');

function notices(list: readonly SurveyNotice[]): Markup[] {
  return list.map((n) =>
    n.kind === 'ok'
      ? html`<p class="notice ok" role="status">${n.text}</p>`
      : n.kind === 'error'
        ? html`<p class="notice error" role="alert">${n.text}</p>`
        : html`<p class="notice info">${n.text}</p>`,
  );
}

interface FormParts {
  readonly action: string;
  readonly csrf: string;
  readonly submit: string;
  /** Where "skip" leads (a plain link: following it records nothing). */
  readonly skip?: string;
}

function actions(language: Language, form: FormParts): Markup {
  const copy = SURVEY_PAGE_COPY[language];
  return html`<div class="actions"><button type="submit">${form.submit}</button>${
    form.skip ? html`<a href="${form.skip}">${copy.skip}</a>` : ''
  }</div>`;
}

/**
 * Step one: the NPS question as the fieldset's legend, with the scale's meaning in it, and eleven
 * radio buttons; the one the mail's button named is selected, nothing is recorded until the form is
 * sent. `autosave` lets the page's script record that score after the page has been visible a while.
 */
export function scoreStep(view: {
  readonly language: Language;
  readonly clubName: string;
  readonly form: FormParts;
  readonly selected: number | undefined;
  readonly via: 'button' | 'honeypot';
  readonly autosave: boolean;
  readonly notices: readonly SurveyNotice[];
}): Markup {
  const copy = SURVEY_COPY[view.language];
  const page = SURVEY_PAGE_COPY[view.language];
  const options = Array.from(
    { length: 11 },
    (_, score) =>
      html`<label class="option"><input type="radio" name="score" value="${score}" required${checked(view.selected === score)}>${score}</label>`,
  );
  return html`${notices(view.notices)}<form method="post" action="${view.form.action}" id="score-form" data-autosave="${view.autosave ? 'yes' : 'no'}" data-saved="${page.scoreSaved}">
<input type="hidden" name="csrf" value="${view.form.csrf}"><input type="hidden" name="via" value="${view.via}">
<fieldset><legend>${copy.npsQuestion(view.clubName)}</legend>
<div class="options">${options}</div>
<p class="ends" aria-hidden="true"><span>${copy.scaleLow}</span><span>${copy.scaleHigh}</span></p>
</fieldset>
<p id="saved" class="notice ok" role="status"></p>
${actions(view.language, view.form)}
</form>`;
}

/** The optional reason: the question is the label of the one text box (and the step's heading says which step). */
export function reasonStep(view: {
  readonly language: Language;
  readonly form: FormParts;
  readonly text: string;
  readonly maxLength: number;
  readonly notices: readonly SurveyNotice[];
}): Markup {
  const copy = SURVEY_COPY[view.language];
  const page = SURVEY_PAGE_COPY[view.language];
  return html`${notices(view.notices)}<form method="post" action="${view.form.action}">
<input type="hidden" name="csrf" value="${view.form.csrf}">
<label class="question" for="reason">${copy.reasonQuestion}</label>
<p class="help" id="reason-help">${page.reasonHelp}</p>
<textarea id="reason" name="reason" maxlength="${view.maxLength}" aria-describedby="reason-help">${view.text}</textarea>
${actions(view.language, view.form)}
</form>`;
}

/** The club's own question: its text and the scale's two ends in the legend, five radio buttons. */
export function clubQuestionStep(view: {
  readonly language: Language;
  readonly question: ClubQuestion;
  readonly form: FormParts;
  readonly selected: number | undefined;
  readonly notices: readonly SurveyNotice[];
}): Markup {
  const { language, question } = view;
  const copy = SURVEY_COPY[language];
  const legend = `${question.text[language]} ${copy.clubQuestionScale(question.low[language], question.high[language])}`;
  const options = [1, 2, 3, 4, 5].map(
    (answer) =>
      html`<label class="option"><input type="radio" name="answer" value="${answer}" required${checked(view.selected === answer)}>${answer}</label>`,
  );
  return html`${notices(view.notices)}<form method="post" action="${view.form.action}">
<input type="hidden" name="csrf" value="${view.form.csrf}">
<fieldset><legend>${legend}</legend>
<div class="options">${options}</div>
<p class="ends" aria-hidden="true"><span>1 = ${question.low[language]}</span><span>5 = ${question.high[language]}</span></p>
</fieldset>
${actions(view.language, view.form)}
</form>`;
}

/** The thank-you: what happens to the answer, who follows up a low score, how long it is kept. */
export function thanksView(view: {
  readonly language: Language;
  readonly clubName: string;
  /** A detractor's answer: someone will call within this many hours. */
  readonly followUpHours?: number;
  readonly settingsLink: string;
  readonly change?: { readonly until: string; readonly link: string };
  readonly notices: readonly SurveyNotice[];
}): Markup {
  const page = SURVEY_PAGE_COPY[view.language];
  return html`${notices(view.notices)}<p>${page.thanksRead(view.clubName)}</p>
${view.followUpHours === undefined ? '' : html`<p>${page.thanksFollowUp(view.clubName, page.within(view.followUpHours))}</p>`}
<p>${page.thanksKept}</p>
<p>${page.thanksNotProfiled}</p>
${view.change ? html`<p>${page.changeUntil(view.change.until)} <a href="${view.change.link}">${page.changeLink}</a></p>` : ''}
<p><a href="${view.settingsLink}">${page.settingsLink}</a></p>`;
}

/**
 * The score page's script (no eval, no remote code, allowed by the CSP nonce): once the page has
 * been visible for three seconds in all, and the member has not picked another score, it posts the
 * score the mail's button named, as the button would, and says so. A page never shown (a scanner's,
 * Apple Mail's privacy proxy's) never gets there.
 */
export const AUTOSAVE_SCRIPT = `(() => {
  const form = document.getElementById('score-form');
  const status = document.getElementById('saved');
  if (!form || !status || form.dataset.autosave !== 'yes') return;
  let visible = 0;
  let since = document.visibilityState === 'visible' ? performance.now() : null;
  let done = false;
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') since = performance.now();
    else if (since !== null) { visible += performance.now() - since; since = null; }
  });
  form.addEventListener('change', () => { done = true; });
  form.addEventListener('submit', () => { done = true; });
  const timer = setInterval(() => {
    if (done) { clearInterval(timer); return; }
    const shown = visible + (since === null ? 0 : performance.now() - since);
    if (shown < 3000) return;
    done = true;
    clearInterval(timer);
    const body = new URLSearchParams(new FormData(form));
    body.set('via', 'script');
    fetch(form.action, { method: 'POST', body, headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then((response) => { if (response.ok) status.textContent = form.dataset.saved || ''; })
      .catch(() => {});
  }, 250);
})();`;
