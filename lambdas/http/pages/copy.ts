import type { Restriction } from '../../core/diet.js';
import type { Frequency, Language, Topic } from '../../core/model.js';

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
  readonly intro: string;
  readonly save: string;
  readonly declaredLegend: string;
  readonly declaredHelp: string;
  readonly inferredTitle: string;
  readonly inferredHelp: string;
  readonly removeInference: string;
  readonly otherMail: string;
  readonly nameDayMail: string;
  readonly confirmationMail: string;
  readonly pauseTitle: string;
  readonly pauseHelp: string;
  readonly pauseFor: (length: string) => string;
  readonly pauseLengths: Readonly<Record<'2w' | '1m' | '3m', string>>;
  readonly pausedUntil: (date: string) => string;
  readonly resume: string;
  readonly outcomes: Readonly<Record<'saved' | 'removed' | 'paused' | 'resumed', string>>;
  readonly errorTitle: string;
  readonly invalidField: (field: string) => string;
  readonly fieldNames: Readonly<
    Record<'frequency' | 'topics' | 'declared' | 'language' | 'restriction' | 'pause' | 'form', string>
  >;
  readonly unsubscribeTitle: string;
  readonly unsubscribeHelp: string;
  readonly dataTitle: string;
  readonly exportLink: string;
  readonly eraseHelp: string;
  readonly eraseConfirm: string;
  readonly eraseButton: string;
  readonly eraseNeedsConfirm: string;
  readonly erasedTitle: string;
  readonly erasedBody: (club: string) => string;
  readonly staleForm: string;
  readonly locale: string;
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
    intro: 'Här väljer du vilka mejl du får från oss. Ändringarna gäller direkt.',
    save: 'Spara mina val',
    declaredLegend: 'Kostval du har berättat om',
    declaredHelp: 'Vi skickar aldrig erbjudanden på varor som inte passar.',
    inferredTitle: 'Kostval vi tror att du har',
    inferredHelp: 'Det här gissar vi utifrån dina köp. Stämmer det inte, ta bort det så använder vi det inte längre.',
    removeInference: 'Stämmer inte, ta bort',
    otherMail: 'Andra mejl',
    nameDayMail: 'Ja, skicka mig en hälsning på min namnsdag',
    confirmationMail: 'Skicka en bekräftelse via mejl om jag avregistrerar mig',
    pauseTitle: 'Ta en paus',
    pauseHelp: 'Vill du vara ifred ett tag? Vi hör av oss igen när pausen är slut.',
    pauseFor: (length) => `Pausa i ${length}`,
    pauseLengths: { '2w': '2 veckor', '1m': '1 månad', '3m': '3 månader' },
    pausedUntil: (date) => `Mejlen är pausade till ${date}.`,
    resume: 'Avsluta pausen nu',
    outcomes: {
      saved: 'Klart! Dina val är sparade.',
      removed: 'Klart! Vi har tagit bort det och gissar inte så igen.',
      paused: 'Klart! Mejlen är pausade.',
      resumed: 'Klart! Pausen är avslutad.',
    },
    errorTitle: 'Något blev fel, så inget har ändrats.',
    invalidField: (field) => `${field}: välj bland alternativen på sidan.`,
    fieldNames: {
      frequency: 'Hur ofta',
      topics: 'Ämnen',
      declared: 'Kostval',
      language: 'Språk',
      restriction: 'Kostval vi tror att du har',
      pause: 'Paus',
      form: 'Formuläret',
    },
    unsubscribeTitle: 'Avregistrera dig',
    unsubscribeHelp: 'Du slutar få alla erbjudanden och nyheter via mejl. Ditt medlemskap finns kvar.',
    dataTitle: 'Dina uppgifter',
    exportLink: 'Ladda ner allt vi har sparat om dig (JSON)',
    eraseHelp:
      'Du kan låta oss radera dina uppgifter: medlemskap, köphistorik och inställningar. Vi sparar bara en oläsbar kod framräknad ur din mejladress, så att du inte läggs till igen av misstag.',
    eraseConfirm: 'Jag förstår att allt raderas och inte går att ångra',
    eraseButton: 'Radera mina uppgifter',
    eraseNeedsConfirm: 'Kryssa i rutan för att bekräfta att du vill att vi raderar dina uppgifter.',
    erasedTitle: 'Dina uppgifter är raderade',
    erasedBody: (club) => `Vi har raderat allt ${club} hade sparat om dig. Du får inga fler mejl från oss.`,
    staleForm: 'Formuläret gick inte att skicka. Ladda om sidan och försök igen.',
    locale: 'sv-SE',
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
    intro: 'Her vælger du, hvilke mails du får fra os. Ændringerne gælder med det samme.',
    save: 'Gem mine valg',
    declaredLegend: 'Kostvalg du har fortalt os om',
    declaredHelp: 'Vi sender aldrig tilbud på varer, der ikke passer.',
    inferredTitle: 'Kostvalg vi tror, du har',
    inferredHelp: 'Det gætter vi ud fra dine køb. Passer det ikke, så fjern det, og vi bruger det ikke mere.',
    removeInference: 'Passer ikke, fjern det',
    otherMail: 'Andre mails',
    nameDayMail: 'Ja, send mig en hilsen på min navnedag',
    confirmationMail: 'Send en bekræftelse på mail, hvis jeg afmelder mig',
    pauseTitle: 'Hold en pause',
    pauseHelp: 'Vil du have fred et stykke tid? Vi skriver igen, når pausen er slut.',
    pauseFor: (length) => `Pause i ${length}`,
    pauseLengths: { '2w': '2 uger', '1m': '1 måned', '3m': '3 måneder' },
    pausedUntil: (date) => `Mails er sat på pause til ${date}.`,
    resume: 'Stop pausen nu',
    outcomes: {
      saved: 'Sådan! Dine valg er gemt.',
      removed: 'Sådan! Vi har fjernet det og gætter ikke sådan igen.',
      paused: 'Sådan! Mails er sat på pause.',
      resumed: 'Sådan! Pausen er slut.',
    },
    errorTitle: 'Noget gik galt, så intet er ændret.',
    invalidField: (field) => `${field}: vælg blandt mulighederne på siden.`,
    fieldNames: {
      frequency: 'Hvor tit',
      topics: 'Emner',
      declared: 'Kostvalg',
      language: 'Sprog',
      restriction: 'Kostvalg vi tror, du har',
      pause: 'Pause',
      form: 'Formularen',
    },
    unsubscribeTitle: 'Afmeld dig',
    unsubscribeHelp: 'Du holder op med at få alle tilbud og nyheder på mail. Dit medlemskab fortsætter.',
    dataTitle: 'Dine oplysninger',
    exportLink: 'Download alt, hvad vi har gemt om dig (JSON)',
    eraseHelp:
      'Du kan bede os slette dine oplysninger: medlemskab, købshistorik og indstillinger. Vi gemmer kun en ulæselig kode beregnet ud fra din mailadresse, så du ikke bliver tilføjet igen ved en fejl.',
    eraseConfirm: 'Jeg forstår, at alt slettes og ikke kan fortrydes',
    eraseButton: 'Slet mine oplysninger',
    eraseNeedsConfirm: 'Sæt kryds i feltet for at bekræfte, at du vil have os til at slette dine oplysninger.',
    erasedTitle: 'Dine oplysninger er slettet',
    erasedBody: (club) => `Vi har slettet alt, hvad ${club} havde gemt om dig. Du får ikke flere mails fra os.`,
    staleForm: 'Formularen kunne ikke sendes. Genindlæs siden, og prøv igen.',
    locale: 'da-DK',
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
    intro: 'Choose which mail you get from us. Changes apply straight away.',
    save: 'Save my choices',
    declaredLegend: 'Diet you have told us about',
    declaredHelp: 'We never send offers on products that do not fit.',
    inferredTitle: 'Diet we think you follow',
    inferredHelp: 'We guess this from your purchases. If it is wrong, remove it and we will stop using it.',
    removeInference: 'This is wrong, remove it',
    otherMail: 'Other mail',
    nameDayMail: 'Yes, send me a greeting on my name day',
    confirmationMail: 'Send me a confirmation by mail if I unsubscribe',
    pauseTitle: 'Take a break',
    pauseHelp: 'Want some quiet for a while? We will be back in touch when the break is over.',
    pauseFor: (length) => `Pause for ${length}`,
    pauseLengths: { '2w': '2 weeks', '1m': '1 month', '3m': '3 months' },
    pausedUntil: (date) => `Mail is paused until ${date}.`,
    resume: 'End the break now',
    outcomes: {
      saved: 'Done! Your choices are saved.',
      removed: 'Done! We removed it and will not guess it again.',
      paused: 'Done! Mail is paused.',
      resumed: 'Done! The break is over.',
    },
    errorTitle: 'Something went wrong, so nothing was changed.',
    invalidField: (field) => `${field}: please pick one of the options on the page.`,
    fieldNames: {
      frequency: 'How often',
      topics: 'Topics',
      declared: 'Diet',
      language: 'Language',
      restriction: 'Diet we think you follow',
      pause: 'Break',
      form: 'The form',
    },
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeHelp: 'You will stop getting all offers and news by mail. Your membership stays.',
    dataTitle: 'Your data',
    exportLink: 'Download everything we keep about you (JSON)',
    eraseHelp:
      'You can have us delete your data: membership, purchase history and settings. We keep only an unreadable code derived from your address, so you are not added again by mistake.',
    eraseConfirm: 'I understand that everything is deleted and cannot be undone',
    eraseButton: 'Delete my data',
    eraseNeedsConfirm: 'Tick the box to confirm that you want us to delete your data.',
    erasedTitle: 'Your data is deleted',
    erasedBody: (club) => `We deleted everything ${club} kept about you. You will get no more mail from us.`,
    staleForm: 'The form could not be sent. Reload the page and try again.',
    locale: 'en-GB',
  },
};
