import type { ConsoleCopy } from './en.js';

/** Redigerarens fält för enkät och återkoppling på svenska. */
export const SV_KIND_FIELDS: ConsoleCopy['kindFields'] = {
  survey: 'Enkät',
  surveyHelp: 'Används när typen är Enkät.',
  relationship: 'Relation: ett slumpat urval av medlemmarna',
  afterPurchase: 'Efter ett köp: medlemmar vars senaste köp är några dagar gammalt',
  daysAfter: 'Dagar efter köpet',
  windowDays: 'Hur många dagars köp (1 när den går varje dag)',
  askReason: 'Fråga efter skälet till betyget',
  question: 'Egen fråga (valfri)',
  questionHelp:
    'Ställs efter NPS-frågan på en skala från 1 till 5, till exempel nöjdhet med butiken. Skriv den och vad 1 och 5 betyder på alla tre språken, eller lämna alla fält tomma för ingen.',
  questionId: 'Namn i rapporter och exporter (bokstäver, siffror, - och _)',
  questionPart: { text: 'Fråga', low: 'Vad 1 betyder', high: 'Vad 5 betyder' },
  note: 'Ni sa, vi gjorde',
  noteHelp: 'Används när typen är Ni sa, vi gjorde: den går till medlemmarna vars kommentarer berörde ämnet.',
  topic: 'Kommentarsämne',
  noTopics: 'Klubben har inga kommentarsämnen än.',
  chooseTopic: 'Välj ett ämne',
  part: { subject: 'Ämnesrad', headline: 'Rubrik', body: 'Text' },
  inLanguage: { sv: 'svenska', da: 'danska', en: 'engelska' },
};
