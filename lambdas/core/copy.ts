import type { PickWhy } from './offers.js';
import type { Emotion, Language } from './model.js';

/** First copy per emotion and language. The themes issue turns this into an editable theme library. */
export interface ThemeCopy {
  readonly subject: string;
  readonly preheader: string;
  readonly headline: string;
  readonly intro: string;
  readonly cta: string;
}

export const THEME_COPY: Readonly<Record<Emotion, Readonly<Record<Language, ThemeCopy>>>> = {
  community: {
    sv: {
      subject: '{name}, veckans erbjudanden från ditt kvarter',
      preheader: 'Utvalda för dig, utifrån det du brukar handla.',
      headline: 'Hej {name}! Det här tror vi att du gillar',
      intro: 'Vi har plockat ut några erbjudanden på sådant du brukar köpa hos oss.',
      cta: 'Se alla medlemspriser',
    },
    da: {
      subject: '{name}, ugens tilbud fra dit nabolag',
      preheader: 'Udvalgt til dig ud fra det, du plejer at købe.',
      headline: 'Hej {name}! Det her tror vi, du bliver glad for',
      intro: 'Vi har fundet et par tilbud på ting, du plejer at købe hos os.',
      cta: 'Se alle medlemspriser',
    },
    en: {
      subject: '{name}, this week’s offers from your neighbourhood store',
      preheader: 'Picked for you, from what you usually buy.',
      headline: 'Hi {name}! We think you’ll like these',
      intro: 'We picked a few offers on things you often buy with us.',
      cta: 'See all member prices',
    },
  },
  selected: {
    sv: {
      subject: '{name}, några utvalda förmåner för dig',
      preheader: 'Endast för medlemmar, och valda med omsorg.',
      headline: '{name}, det här har vi valt ut åt dig',
      intro: 'Som medlem får du ta del av det här före alla andra.',
      cta: 'Upptäck dina förmåner',
    },
    da: {
      subject: '{name}, udvalgte fordele til dig',
      preheader: 'Kun for medlemmer, og valgt med omhu.',
      headline: '{name}, det her har vi udvalgt til dig',
      intro: 'Som medlem får du det her før alle andre.',
      cta: 'Opdag dine fordele',
    },
    en: {
      subject: '{name}, a few privileges chosen for you',
      preheader: 'For members only, and chosen with care.',
      headline: '{name}, we chose these for you',
      intro: 'As a member, you see these before anyone else.',
      cta: 'Discover your privileges',
    },
  },
  vitality: {
    sv: {
      subject: '{name}, dags att röra på dig?',
      preheader: 'Erbjudanden på det du tränar med.',
      headline: 'Kom igen, {name}!',
      intro: 'Här är erbjudanden på sådant som håller dig i rörelse.',
      cta: 'Hitta din nästa utmaning',
    },
    da: {
      subject: '{name}, klar til at komme i gang?',
      preheader: 'Tilbud på det, du træner med.',
      headline: 'Kom så, {name}!',
      intro: 'Her er tilbud på det, der holder dig i bevægelse.',
      cta: 'Find din næste udfordring',
    },
    en: {
      subject: '{name}, ready to get moving?',
      preheader: 'Offers on the gear you train with.',
      headline: 'Let’s go, {name}!',
      intro: 'Here are offers on what keeps you moving.',
      cta: 'Find your next challenge',
    },
  },
  curiosity: {
    sv: {
      subject: '{name}, vart tar din nästa bok dig?',
      preheader: 'Nya världar, valda efter din smak.',
      headline: 'Något nytt att drömma dig bort i, {name}',
      intro: 'Vi har hittat några titlar vi tror väcker din nyfikenhet.',
      cta: 'Börja bläddra',
    },
    da: {
      subject: '{name}, hvor tager din næste bog dig hen?',
      preheader: 'Nye verdener, valgt efter din smag.',
      headline: 'Noget nyt at drømme sig væk i, {name}',
      intro: 'Vi har fundet et par titler, som vi tror vækker din nysgerrighed.',
      cta: 'Begynd at bladre',
    },
    en: {
      subject: '{name}, where will your next book take you?',
      preheader: 'New worlds, chosen for your taste.',
      headline: 'Something new to get lost in, {name}',
      intro: 'We found a few titles we think will spark your curiosity.',
      cta: 'Start browsing',
    },
  },
  care: {
    sv: {
      subject: '{name}, lite extra omtanke den här veckan',
      preheader: 'Erbjudanden som gör vardagen lite enklare.',
      headline: 'Ta hand om dig, {name}',
      intro: 'Vi har valt ut några erbjudanden som gör vardagen lite lättare.',
      cta: 'Se erbjudandena',
    },
    da: {
      subject: '{name}, lidt ekstra omsorg i denne uge',
      preheader: 'Tilbud, der gør hverdagen lidt lettere.',
      headline: 'Pas godt på dig selv, {name}',
      intro: 'Vi har udvalgt et par tilbud, der gør hverdagen lidt lettere.',
      cta: 'Se tilbuddene',
    },
    en: {
      subject: '{name}, a little extra care this week',
      preheader: 'Offers that make everyday life a bit easier.',
      headline: 'Take care of yourself, {name}',
      intro: 'We chose a few offers to make your week a little easier.',
      cta: 'See the offers',
    },
  },
  celebration: {
    sv: {
      subject: '{name}, nu firar vi!',
      preheader: 'Erbjudanden som gör festen lite roligare.',
      headline: 'Dags att fira, {name}!',
      intro: 'Här är några erbjudanden som passar när det är dags att fira.',
      cta: 'Fira med oss',
    },
    da: {
      subject: '{name}, nu fejrer vi!',
      preheader: 'Tilbud, der gør festen lidt sjovere.',
      headline: 'Tid til at fejre, {name}!',
      intro: 'Her er et par tilbud, der passer, når der skal fejres.',
      cta: 'Fejr med os',
    },
    en: {
      subject: '{name}, let’s celebrate!',
      preheader: 'Offers to make the party even better.',
      headline: 'Time to celebrate, {name}!',
      intro: 'Here are a few offers for when it’s time to celebrate.',
      cta: 'Celebrate with us',
    },
  },
};

/** Footer and reason strings, per language. */
export interface ChromeCopy {
  readonly why: (p: { product: string; category: string }) => Readonly<Record<PickWhy, string>>;
  readonly whyThisMail: (club: string) => string;
  readonly preferences: string;
  readonly unsubscribe: string;
  readonly validUntil: string;
}

export const CHROME_COPY: Readonly<Record<Language, ChromeCopy>> = {
  sv: {
    why: ({ product, category }) => ({
      'often-bought': `Du köper ofta ${product}`,
      'bought-before': `Du har köpt ${product} förut`,
      'goes-with': `Medlemmar som handlar som du köper ofta ${product}`,
      category: `Du handlar ofta ${category.toLowerCase()}`,
      popular: 'Populärt bland medlemmarna',
    }),
    whyThisMail: (club) =>
      `Du får det här mejlet för att du är medlem i ${club} och har sagt ja till erbjudanden. Erbjudandena är valda utifrån dina köp, och aldrig sådant som krockar med dina kostval.`,
    preferences: 'Ändra vad och hur ofta du får mejl',
    unsubscribe: 'Avregistrera dig',
    validUntil: 'Gäller till',
  },
  da: {
    why: ({ product, category }) => ({
      'often-bought': `Du køber tit ${product}`,
      'bought-before': `Du har købt ${product} før`,
      'goes-with': `Medlemmer, der handler som dig, køber tit ${product}`,
      category: `Du handler tit ${category.toLowerCase()}`,
      popular: 'Populært blandt medlemmerne',
    }),
    whyThisMail: (club) =>
      `Du får denne mail, fordi du er medlem af ${club} og har sagt ja til tilbud. Tilbuddene er valgt ud fra dine køb og aldrig noget, der strider mod dine kostvalg.`,
    preferences: 'Vælg hvad og hvor tit du får mails',
    unsubscribe: 'Afmeld',
    validUntil: 'Gælder til',
  },
  en: {
    why: ({ product, category }) => ({
      'often-bought': `You often buy ${product}`,
      'bought-before': `You have bought ${product} before`,
      'goes-with': `Members who shop like you often buy ${product}`,
      category: `You often shop ${category.toLowerCase()}`,
      popular: 'Popular with members',
    }),
    whyThisMail: (club) =>
      `You get this mail because you are a member of ${club} and said yes to offers. The offers are chosen from your purchases, and never clash with your diet choices.`,
    preferences: 'Choose what and how often we mail you',
    unsubscribe: 'Unsubscribe',
    validUntil: 'Valid until',
  },
};
