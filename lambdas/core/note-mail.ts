import { CHROME_COPY } from './copy.js';
import { html } from './html.js';
import type { RenderedMail } from './mail.js';
import { frameMail } from './mail-frame.js';
import type { Club, Language, Member } from './model.js';
import { oneSafeLine } from './safe-text.js';
import type { FeedbackNote } from './survey.js';

const WHY: Readonly<Record<Language, (club: string) => string>> = {
  sv: (club) =>
    `Du får det här mejlet för att du berättade för ${club} om det här i en enkät och vill få nyheter från oss.`,
  da: (club) =>
    `Du får denne mail, fordi du fortalte ${club} om dette i en undersøgelse og gerne vil have nyheder fra os.`,
  en: (club) => `You get this mail because you told ${club} about this in a survey and said yes to news from us.`,
};

/** A "you said, we did" note: the club's headline and text in the member's language, in the survey mail's frame. */
export function renderNoteMail(input: {
  readonly club: Club;
  readonly member: Member;
  readonly note: FeedbackNote;
  readonly links: { readonly unsubscribe: string; readonly preferences: string };
}): RenderedMail {
  const { club, member, note } = input;
  const language: Language =
    !club.languages || club.languages.includes(member.language) ? member.language : club.language;
  const chrome = CHROME_COPY[language];
  const paragraphs = note.body[language]
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const content = html`<h1 style="margin:0 0 12px;font-size:24px;line-height:1.3">${note.headline[language]}</h1>
${paragraphs.map((p) => html`<p style="margin:0 0 16px;font-size:16px;line-height:1.5">${p}</p>`)}`;
  return frameMail({
    club,
    language,
    subject: oneSafeLine(note.subject[language]),
    preheader: note.headline[language],
    content,
    text: [note.headline[language], '', ...paragraphs.flatMap((p) => [p, ''])].join('\n').trim(),
    footer: {
      why: WHY[language](club.name),
      preferencesLabel: chrome.preferences,
      unsubscribeLabel: chrome.unsubscribe,
    },
    links: input.links,
  });
}
