import type { ConsoleCopy } from './en.js';

/** Redigeringens felter for spørgeskema og tilbagemelding på dansk. */
export const DA_KIND_FIELDS: ConsoleCopy['kindFields'] = {
  survey: 'Spørgeskema',
  surveyHelp: 'Bruges når typen er Spørgeskema.',
  relationship: 'Relation: et tilfældigt udvalg af medlemmerne',
  afterPurchase: 'Efter et køb: medlemmer hvis seneste køb er nogle dage gammelt',
  daysAfter: 'Dage efter købet',
  windowDays: 'Hvor mange dages køb (1 når det kører hver dag)',
  askReason: 'Spørg efter grunden til karakteren',
  question: 'Eget spørgsmål (valgfrit)',
  questionHelp:
    'Stilles efter NPS-spørgsmålet på en skala fra 1 til 5, for eksempel tilfredshed med butikken. Skriv det og hvad 1 og 5 betyder på alle tre sprog, eller lad alle felter være tomme for intet.',
  questionId: 'Navn i rapporter og eksporter (bogstaver, tal, - og _)',
  questionPart: { text: 'Spørgsmål', low: 'Hvad 1 betyder', high: 'Hvad 5 betyder' },
  note: 'I sagde, vi gjorde',
  noteHelp: 'Bruges når typen er I sagde, vi gjorde: den går til medlemmerne hvis kommentarer berørte emnet.',
  topic: 'Kommentaremne',
  noTopics: 'Klubben har ingen kommentaremner endnu.',
  chooseTopic: 'Vælg et emne',
  part: { subject: 'Emnelinje', headline: 'Overskrift', body: 'Tekst' },
  inLanguage: { sv: 'svensk', da: 'dansk', en: 'engelsk' },
};
