import type { Language } from './vocabulary.js';

/** The survey's own words in each language: the mail, and the questions the page asks. */
export interface SurveyCopy {
  readonly subject: (club: string, afterPurchase: boolean) => string;
  readonly greeting: (name: string) => string;
  readonly intro: (afterPurchase: boolean) => string;
  /** "Think of your purchase on 12 March." */
  readonly aboutPurchase: (date: string) => string;
  /** The NPS question with the scale's meaning in the same sentence, as the page's legend says it. */
  readonly npsQuestion: (club: string) => string;
  readonly scaleLow: string;
  readonly scaleHigh: string;
  /** What a screen reader says for one of the eleven buttons. */
  readonly scoreLabel: (score: number) => string;
  readonly reasonQuestion: string;
  readonly clubQuestionScale: (low: string, high: string) => string;
  readonly whyThisMail: (club: string) => string;
  readonly plainTextHint: string;
  readonly preferences: string;
  readonly unsubscribe: string;
  readonly locale: string;
}

export const SURVEY_COPY: Readonly<Record<Language, SurveyCopy>> = {
  sv: {
    subject: (club, after) => (after ? `Hur var ditt köp hos ${club}?` : `Vad tycker du om ${club}?`),
    greeting: (name) => `Hej ${name}!`,
    intro: (after) =>
      after
        ? 'En enda fråga om ditt senaste köp. Klicka på en siffra – det tar tio sekunder.'
        : 'En enda fråga om hur du tycker att vi är. Klicka på en siffra – det tar tio sekunder.',
    aboutPurchase: (date) => `Tänk på ditt köp den ${date}.`,
    npsQuestion: (club) =>
      `Hur troligt är det att du skulle rekommendera ${club} till en vän eller kollega? 0 = inte alls troligt, 10 = mycket troligt.`,
    scaleLow: '0 = inte alls troligt',
    scaleHigh: '10 = mycket troligt',
    scoreLabel: (score) => `${score} av 10`,
    reasonQuestion: 'Vad är den viktigaste anledningen till ditt betyg?',
    clubQuestionScale: (low, high) => `1 = ${low}, 5 = ${high}.`,
    whyThisMail: (club) =>
      `Du får det här mejlet för att du är medlem i ${club} och vill svara på enkäter. Det är frivilligt att svara. Svaret används för att bli bättre, aldrig för att välja erbjudanden åt dig.`,
    plainTextHint: 'Öppna länken för den siffra du vill ge:',
    preferences: 'Ändra vad och hur ofta du får mejl',
    unsubscribe: 'Avregistrera dig',
    locale: 'sv-SE',
  },
  da: {
    subject: (club, after) => (after ? `Hvordan var dit køb hos ${club}?` : `Hvad synes du om ${club}?`),
    greeting: (name) => `Hej ${name}!`,
    intro: (after) =>
      after
        ? 'Ét enkelt spørgsmål om dit seneste køb. Klik på et tal – det tager ti sekunder.'
        : 'Ét enkelt spørgsmål om, hvad du synes om os. Klik på et tal – det tager ti sekunder.',
    aboutPurchase: (date) => `Tænk på dit køb den ${date}.`,
    npsQuestion: (club) =>
      `Hvor sandsynligt er det, at du vil anbefale ${club} til en ven eller kollega? 0 = slet ikke sandsynligt, 10 = meget sandsynligt.`,
    scaleLow: '0 = slet ikke sandsynligt',
    scaleHigh: '10 = meget sandsynligt',
    scoreLabel: (score) => `${score} ud af 10`,
    reasonQuestion: 'Hvad er den vigtigste grund til din karakter?',
    clubQuestionScale: (low, high) => `1 = ${low}, 5 = ${high}.`,
    whyThisMail: (club) =>
      `Du får denne mail, fordi du er medlem af ${club} og gerne vil svare på undersøgelser. Det er frivilligt at svare. Svaret bruges til at blive bedre, aldrig til at vælge tilbud til dig.`,
    plainTextHint: 'Åbn linket til det tal, du vil give:',
    preferences: 'Vælg hvad og hvor tit du får mails',
    unsubscribe: 'Afmeld',
    locale: 'da-DK',
  },
  en: {
    subject: (club, after) => (after ? `How was your purchase at ${club}?` : `What do you think of ${club}?`),
    greeting: (name) => `Hi ${name}!`,
    intro: (after) =>
      after
        ? 'One question about your latest purchase. Click a number – it takes ten seconds.'
        : 'One question about how we are doing. Click a number – it takes ten seconds.',
    aboutPurchase: (date) => `Think of your purchase on ${date}.`,
    npsQuestion: (club) =>
      `How likely is it that you would recommend ${club} to a friend or colleague? 0 = not at all likely, 10 = extremely likely.`,
    scaleLow: '0 = not at all likely',
    scaleHigh: '10 = extremely likely',
    scoreLabel: (score) => `${score} out of 10`,
    reasonQuestion: 'What is the main reason for your score?',
    clubQuestionScale: (low, high) => `1 = ${low}, 5 = ${high}.`,
    whyThisMail: (club) =>
      `You get this mail because you are a member of ${club} and said yes to surveys. Answering is up to you. Answers are used to do better, never to choose offers for you.`,
    plainTextHint: 'Open the link of the number you want to give:',
    preferences: 'Choose what and how often we mail you',
    unsubscribe: 'Unsubscribe',
    locale: 'en-GB',
  },
};

/** A date as the member reads it, in their time zone. */
export function localDate(iso: string, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(SURVEY_COPY[language].locale, {
    day: 'numeric',
    month: 'long',
    timeZone,
  }).format(new Date(iso));
}
