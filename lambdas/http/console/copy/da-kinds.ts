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
  note: 'I sagde, vi gjorde',
  noteHelp: 'Bruges når typen er I sagde, vi gjorde: den går til medlemmerne hvis kommentarer berørte emnet.',
  topic: 'Kommentaremne',
  noTopics: 'Klubben har ingen kommentaremner endnu.',
  chooseTopic: 'Vælg et emne',
  part: { subject: 'Emnelinje', headline: 'Overskrift', body: 'Tekst' },
  inLanguage: { sv: 'svensk', da: 'dansk', en: 'engelsk' },
};
