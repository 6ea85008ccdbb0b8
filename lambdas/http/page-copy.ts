import type { Frequency, Language, Topic } from '../core/model.js';
import type { Restriction } from '../core/diet.js';

/** Member page strings, per language. */
export interface PageCopy {
  readonly invalidTitle: string;
  readonly invalidBody: string;
  readonly confirmTitle: (club: string) => string;
  readonly confirmBody: string;
  readonly confirmButton: string;
  readonly ratherLess: string;
  readonly doneTitle: string;
  readonly doneBody: (club: string) => string;
  readonly preferencesTitle: (club: string) => string;
  readonly greeting: (name: string) => string;
  readonly status: string;
  readonly subscribed: string;
  readonly unsubscribed: string;
  readonly frequency: string;
  readonly frequencies: Readonly<Record<Frequency, string>>;
  readonly topics: string;
  readonly topicNames: Readonly<Record<Topic, string>>;
  readonly restrictions: string;
  readonly declared: string;
  readonly inferred: string;
  readonly none: string;
  readonly restrictionNames: Readonly<Record<Restriction, string>>;
  readonly language: string;
  readonly languageNames: Readonly<Record<Language, string>>;
  readonly unsubscribeAll: string;
}

export const PAGE_COPY: Readonly<Record<Language, PageCopy>> = {
  sv: {
    invalidTitle: 'Länken fungerar inte längre',
    invalidBody: 'Länken är ogiltig eller för gammal. Använd länken i ett nyare mejl från oss.',
    confirmTitle: (club) => `Avregistrera dig från ${club}s mejl?`,
    confirmBody: 'Du slutar få erbjudanden och nyheter från oss via mejl. Ditt medlemskap finns kvar.',
    confirmButton: 'Ja, avregistrera mig',
    ratherLess: 'Vill du hellre få färre mejl? Välj hur ofta',
    doneTitle: 'Du är avregistrerad',
    doneBody: (club) => `Du får inga fler erbjudandemejl från ${club}.`,
    preferencesTitle: (club) => `Dina mejlinställningar hos ${club}`,
    greeting: (name) => `Hej ${name}!`,
    status: 'Status',
    subscribed: 'Du får våra mejl',
    unsubscribed: 'Du är avregistrerad',
    frequency: 'Hur ofta',
    frequencies: {
      'club-default': 'Så ofta klubben vill',
      weekly: 'Högst en gång i veckan',
      monthly: 'Högst en gång i månaden',
      'occasions-only': 'Bara på födelsedagen och vid stora erbjudanden',
    },
    topics: 'Ämnen',
    topicNames: { offers: 'Erbjudanden', news: 'Nyheter', events: 'Evenemang', surveys: 'Undersökningar' },
    restrictions: 'Kostval',
    declared: 'Angivna av dig',
    inferred: 'Som vi tror utifrån dina köp',
    none: 'Inga',
    restrictionNames: {
      'gluten-free': 'Glutenfritt',
      'lactose-free': 'Laktosfritt',
      vegetarian: 'Vegetariskt',
      vegan: 'Veganskt',
      'pork-free': 'Utan fläskkött',
      'alcohol-free': 'Alkoholfritt',
      'nut-free': 'Nötfritt',
    },
    language: 'Språk',
    languageNames: { sv: 'Svenska', da: 'Danska', en: 'Engelska' },
    unsubscribeAll: 'Avregistrera mig från alla mejl',
  },
  da: {
    invalidTitle: 'Linket virker ikke længere',
    invalidBody: 'Linket er ugyldigt eller for gammelt. Brug linket i en nyere mail fra os.',
    confirmTitle: (club) => `Afmeld mails fra ${club}?`,
    confirmBody: 'Du holder op med at få tilbud og nyheder fra os på mail. Dit medlemskab fortsætter.',
    confirmButton: 'Ja, afmeld mig',
    ratherLess: 'Vil du hellere have færre mails? Vælg hvor tit',
    doneTitle: 'Du er afmeldt',
    doneBody: (club) => `Du får ikke flere tilbudsmails fra ${club}.`,
    preferencesTitle: (club) => `Dine mailindstillinger hos ${club}`,
    greeting: (name) => `Hej ${name}!`,
    status: 'Status',
    subscribed: 'Du får vores mails',
    unsubscribed: 'Du er afmeldt',
    frequency: 'Hvor tit',
    frequencies: {
      'club-default': 'Så tit klubben vil',
      weekly: 'Højst én gang om ugen',
      monthly: 'Højst én gang om måneden',
      'occasions-only': 'Kun på fødselsdagen og ved store tilbud',
    },
    topics: 'Emner',
    topicNames: { offers: 'Tilbud', news: 'Nyheder', events: 'Arrangementer', surveys: 'Undersøgelser' },
    restrictions: 'Kostvalg',
    declared: 'Angivet af dig',
    inferred: 'Som vi tror ud fra dine køb',
    none: 'Ingen',
    restrictionNames: {
      'gluten-free': 'Glutenfri',
      'lactose-free': 'Laktosefri',
      vegetarian: 'Vegetarisk',
      vegan: 'Vegansk',
      'pork-free': 'Uden svinekød',
      'alcohol-free': 'Alkoholfri',
      'nut-free': 'Nøddefri',
    },
    language: 'Sprog',
    languageNames: { sv: 'Svensk', da: 'Dansk', en: 'Engelsk' },
    unsubscribeAll: 'Afmeld mig alle mails',
  },
  en: {
    invalidTitle: 'This link no longer works',
    invalidBody: 'The link is invalid or too old. Please use the link in a more recent mail from us.',
    confirmTitle: (club) => `Unsubscribe from ${club} mail?`,
    confirmBody: 'You will stop getting offers and news from us by mail. Your membership stays.',
    confirmButton: 'Yes, unsubscribe me',
    ratherLess: 'Would you rather get fewer mails? Choose how often',
    doneTitle: 'You are unsubscribed',
    doneBody: (club) => `You will get no more offer mails from ${club}.`,
    preferencesTitle: (club) => `Your mail settings at ${club}`,
    greeting: (name) => `Hi ${name}!`,
    status: 'Status',
    subscribed: 'You get our mail',
    unsubscribed: 'You are unsubscribed',
    frequency: 'How often',
    frequencies: {
      'club-default': 'As often as the club likes',
      weekly: 'At most once a week',
      monthly: 'At most once a month',
      'occasions-only': 'Only my birthday and big offers',
    },
    topics: 'Topics',
    topicNames: { offers: 'Offers', news: 'News', events: 'Events', surveys: 'Surveys' },
    restrictions: 'Diet',
    declared: 'Declared by you',
    inferred: 'What we think from your purchases',
    none: 'None',
    restrictionNames: {
      'gluten-free': 'Gluten-free',
      'lactose-free': 'Lactose-free',
      vegetarian: 'Vegetarian',
      vegan: 'Vegan',
      'pork-free': 'No pork',
      'alcohol-free': 'Alcohol-free',
      'nut-free': 'Nut-free',
    },
    language: 'Language',
    languageNames: { sv: 'Swedish', da: 'Danish', en: 'English' },
    unsubscribeAll: 'Unsubscribe me from all mail',
  },
};
