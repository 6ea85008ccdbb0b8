import { html, type Markup } from './html.js';
import type { RenderedMail } from './mail.js';
import { accentOnWhite, frameMail } from './mail-frame.js';
import type { Club, Language, Member } from './model.js';
import { oneSafeLine } from './safe-text.js';
import type { SurveySpec } from './survey.js';
import { localDate, SURVEY_COPY } from './survey-copy.js';

export const NPS_SCORES: readonly number[] = Array.from({ length: 11 }, (_, score) => score);

export interface SurveyMailInput {
  readonly club: Club;
  readonly member: Member;
  readonly survey: SurveySpec;
  /** The purchase an after-purchase survey asks about (the member's latest when it was planned). */
  readonly purchasedAt?: string;
  readonly links: {
    /** The survey page with this score selected (`/s/<token>?score=n`). Opening it records nothing. */
    readonly score: (score: number) => string;
    /** A link no person sees or reaches (`/s/<token>/x`): only a machine that follows every link does. */
    readonly honeypot: string;
    readonly unsubscribe: string;
    readonly preferences: string;
  };
}

/**
 * The survey mail (docs/decisions/0036-surveys-and-nps.md): the NPS question with the scale's
 * meaning, and eleven score buttons built from table cells (no script, no form: Outlook, Gmail and
 * Apple Mail render them alike), each a link with a label a screen reader reads ("7 out of 10") that
 * opens the survey page with that score selected. Opening a link records nothing: the page's POST does.
 * A hidden honeypot link follows the footer.
 */
export function renderSurveyMail(input: SurveyMailInput): RenderedMail {
  const { club, member, survey, links } = input;
  const language: Language =
    !club.languages || club.languages.includes(member.language) ? member.language : club.language;
  const copy = SURVEY_COPY[language];
  const afterPurchase = survey.type === 'after-purchase';
  const subject = oneSafeLine(copy.subject(club.name, afterPurchase));
  const about = input.purchasedAt ? copy.aboutPurchase(localDate(input.purchasedAt, language, member.timeZone)) : '';
  const question = copy.npsQuestion(club.name);
  const accent = accentOnWhite(club);
  const content = html`<h1 style="margin:0 0 12px;font-size:24px;line-height:1.3">${copy.greeting(member.firstName)}</h1>
<p style="margin:0 0 16px;font-size:16px;line-height:1.5">${copy.intro(afterPurchase)}${about ? ` ${about}` : ''}</p>
<p style="margin:0 0 16px;font-size:17px;line-height:1.5;font-weight:bold">${question}</p>
${scoreButtons(copy.scoreLabel, links.score, accent)}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:6px 0 0"><tr>
<td align="left" style="font-size:13px;color:#555555;font-family:Arial,Helvetica,sans-serif">${copy.scaleLow}</td>
<td align="right" style="font-size:13px;color:#555555;font-family:Arial,Helvetica,sans-serif">${copy.scaleHigh}</td>
</tr></table>`;
  const text = [
    copy.greeting(member.firstName),
    '',
    `${copy.intro(afterPurchase)}${about ? ` ${about}` : ''}`,
    '',
    question,
    copy.plainTextHint,
    ...NPS_SCORES.map((score) => `${copy.scoreLabel(score)}: ${links.score(score)}`),
  ].join('\n');
  return frameMail({
    club,
    language,
    subject,
    preheader: question,
    content,
    text,
    footer: {
      why: copy.whyThisMail(club.name),
      preferencesLabel: copy.preferences,
      unsubscribeLabel: copy.unsubscribe,
    },
    links,
    // Hidden from people and screen readers alike, and never in the plain-text part.
    hidden: html`<div style="display:none;max-height:0;overflow:hidden;mso-hide:all" aria-hidden="true"><a href="${links.honeypot}" tabindex="-1" style="color:#ffffff;font-size:1px">&#8203;</a></div>`,
  });
}

/**
 * Eleven cells of one row, each a bordered link: a table lays them out in every mail client, and a
 * fixed layout keeps them equal on a phone (each still some 30 px wide at 360 px).
 */
function scoreButtons(label: (score: number) => string, href: (score: number) => string, colour: string): Markup {
  const cells = NPS_SCORES.map(
    (score) =>
      html`<td align="center" width="9%" style="border:2px solid ${colour};border-radius:4px;background:#ffffff;padding:0"><a href="${href(score)}" aria-label="${label(score)}" title="${label(score)}" style="display:block;padding:10px 0;font-size:16px;line-height:20px;font-weight:bold;color:${colour};text-decoration:none;font-family:Arial,Helvetica,sans-serif">${score}</a></td>`,
  );
  return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="3" style="table-layout:fixed;border-collapse:separate"><tr>
${cells}
</tr></table>`;
}
