import type { Language } from '../../core/model.js';

/** The survey page's strings, per language (the questions themselves are in core/survey-copy.ts). */
export interface SurveyPageCopy {
  readonly pageTitle: (club: string) => string;
  readonly step: (n: number, of: number) => string;
  readonly next: string;
  readonly send: string;
  readonly skip: string;
  readonly reasonHelp: string;
  readonly scoreSaved: string;
  readonly answered: (score: number) => string;
  readonly changeUntil: (time: string) => string;
  readonly final: string;
  readonly chooseScore: string;
  readonly chooseAnswer: string;
  readonly tooLong: (max: number) => string;
  readonly staleForm: string;
  readonly thanksTitle: string;
  readonly thanksRead: (club: string) => string;
  readonly thanksFollowUp: (club: string, within: string) => string;
  readonly thanksKept: string;
  readonly thanksNotProfiled: string;
  readonly within: (hours: number) => string;
  readonly settingsLink: string;
  readonly changeLink: string;
  readonly locale: string;
}

const hoursOrDays = (hours: number, h: [string, string], d: [string, string]) =>
  hours % 24 === 0 ? `${hours / 24} ${hours === 24 ? d[0] : d[1]}` : `${hours} ${hours === 1 ? h[0] : h[1]}`;

export const SURVEY_PAGE_COPY: Readonly<Record<Language, SurveyPageCopy>> = {
  sv: {
    pageTitle: (club) => `En fråga från ${club}`,
    step: (n, of) => `Fråga ${n} av ${of}`,
    next: 'Nästa',
    send: 'Skicka',
    skip: 'Hoppa över',
    reasonHelp: 'Frivilligt. Skriv inget känsligt, som hälsa eller personnummer.',
    scoreSaved: 'Ditt betyg är sparat. Du kan lägga till en anledning, eller stänga sidan.',
    answered: (score) => `Du har svarat ${score}.`,
    changeUntil: (time) => `Du kan ändra dina svar till ${time}.`,
    final: 'Ditt svar är registrerat och kan inte ändras längre. Tack!',
    chooseScore: 'Välj en siffra från 0 till 10.',
    chooseAnswer: 'Välj en siffra från 1 till 5.',
    tooLong: (max) => `Skriv högst ${max} tecken.`,
    staleForm: 'Formuläret var för gammalt. Försök igen här nedanför.',
    thanksTitle: 'Tack för ditt svar!',
    thanksRead: (club) =>
      `Ditt svar läses av ${club}s kundteam och räknas, utan ditt namn, in i det betyg klubben följer över tid.`,
    thanksFollowUp: (club, within) =>
      `Vi vill gärna veta vad som gick fel: någon från ${club} hör av sig till dig inom ${within}.`,
    thanksKept:
      'Din kommentar sparas i sex månader och ditt betyg i ett år. Du kan ladda ner eller radera dem på din inställningssida.',
    thanksNotProfiled: 'Vi använder aldrig ditt svar för att välja erbjudanden åt dig.',
    within: (hours) => hoursOrDays(hours, ['timme', 'timmar'], ['dag', 'dagar']),
    settingsLink: 'Dina inställningar och uppgifter',
    changeLink: 'Ändra dina svar',
    locale: 'sv-SE',
  },
  da: {
    pageTitle: (club) => `Et spørgsmål fra ${club}`,
    step: (n, of) => `Spørgsmål ${n} af ${of}`,
    next: 'Næste',
    send: 'Send',
    skip: 'Spring over',
    reasonHelp: 'Frivilligt. Skriv ikke noget følsomt, som helbred eller CPR-nummer.',
    scoreSaved: 'Din karakter er gemt. Du kan tilføje en grund eller lukke siden.',
    answered: (score) => `Du har svaret ${score}.`,
    changeUntil: (time) => `Du kan ændre dine svar indtil ${time}.`,
    final: 'Dit svar er registreret og kan ikke ændres længere. Tak!',
    chooseScore: 'Vælg et tal fra 0 til 10.',
    chooseAnswer: 'Vælg et tal fra 1 til 5.',
    tooLong: (max) => `Skriv højst ${max} tegn.`,
    staleForm: 'Formularen var for gammel. Prøv igen herunder.',
    thanksTitle: 'Tak for dit svar!',
    thanksRead: (club) =>
      `Dit svar læses af ${club}s kundeteam og tæller, uden dit navn, med i den karakter, klubben følger over tid.`,
    thanksFollowUp: (club, within) =>
      `Vi vil gerne høre, hvad der gik galt: en fra ${club} kontakter dig inden for ${within}.`,
    thanksKept:
      'Din kommentar gemmes i seks måneder og din karakter i et år. Du kan downloade eller slette dem på din indstillingsside.',
    thanksNotProfiled: 'Vi bruger aldrig dit svar til at vælge tilbud til dig.',
    within: (hours) => hoursOrDays(hours, ['time', 'timer'], ['dag', 'dage']),
    settingsLink: 'Dine indstillinger og oplysninger',
    changeLink: 'Ændr dine svar',
    locale: 'da-DK',
  },
  en: {
    pageTitle: (club) => `A question from ${club}`,
    step: (n, of) => `Question ${n} of ${of}`,
    next: 'Next',
    send: 'Send',
    skip: 'Skip',
    reasonHelp: 'Optional. Please write nothing sensitive, such as health details or ID numbers.',
    scoreSaved: 'Your score is saved. You may add a reason, or close this page.',
    answered: (score) => `You answered ${score}.`,
    changeUntil: (time) => `You can change your answers until ${time}.`,
    final: 'Your answer is recorded and can no longer be changed. Thank you!',
    chooseScore: 'Choose a number from 0 to 10.',
    chooseAnswer: 'Choose a number from 1 to 5.',
    tooLong: (max) => `Write at most ${max} characters.`,
    staleForm: 'The form was too old. Please try again below.',
    thanksTitle: 'Thank you for your answer!',
    thanksRead: (club) =>
      `Your answer is read by ${club}'s customer team and counted, without your name, in the score the club follows over time.`,
    thanksFollowUp: (club, within) =>
      `We would like to hear what went wrong: someone from ${club} will contact you within ${within}.`,
    thanksKept:
      'Your comment is kept for six months and your score for a year. You can download or delete them on your settings page.',
    thanksNotProfiled: 'Your answer is never used to choose offers for you.',
    within: (hours) => hoursOrDays(hours, ['hour', 'hours'], ['day', 'days']),
    settingsLink: 'Your settings and data',
    changeLink: 'Change your answers',
    locale: 'en-GB',
  },
};
