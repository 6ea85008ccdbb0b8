import type { Restriction } from './diet.js';
import type { Language } from './model.js';
import type { PickWhy } from './scoring.js';

/** Footer and reason strings, per language. */
export interface ChromeCopy {
  /** `diet` names the restriction of a `diet-choice` pick; without it that reason reads as `category`. */
  readonly why: (p: { product: string; category: string; diet?: Restriction }) => Readonly<Record<PickWhy, string>>;
  readonly whyThisMail: (club: string) => string;
  readonly preferences: string;
  readonly unsubscribe: string;
  readonly validUntil: string;
}

/** Each restriction as the adjective before "choice" (neuter in Swedish and Danish: "ett val", "et valg"). */
const DIET_WORDS: Readonly<Record<Language, Readonly<Record<Restriction, string>>>> = {
  sv: {
    'gluten-free': 'glutenfritt',
    'lactose-free': 'laktosfritt',
    vegetarian: 'vegetariskt',
    vegan: 'veganskt',
    'pork-free': 'fläskfritt',
    'alcohol-free': 'alkoholfritt',
    'nut-free': 'nötfritt',
  },
  da: {
    'gluten-free': 'glutenfrit',
    'lactose-free': 'laktosefrit',
    vegetarian: 'vegetarisk',
    vegan: 'vegansk',
    'pork-free': 'svinekødsfrit',
    'alcohol-free': 'alkoholfrit',
    'nut-free': 'nøddefrit',
  },
  en: {
    'gluten-free': 'gluten-free',
    'lactose-free': 'lactose-free',
    vegetarian: 'vegetarian',
    vegan: 'vegan',
    'pork-free': 'pork-free',
    'alcohol-free': 'alcohol-free',
    'nut-free': 'nut-free',
  },
};

/** "A gluten-free choice in a category you buy", in each language. */
export function dietChoiceReason(language: Language, diet: Restriction): string {
  switch (language) {
    case 'sv':
      return `Ett ${DIET_WORDS.sv[diet]} val i en kategori du brukar handla`;
    case 'da':
      return `Et ${DIET_WORDS.da[diet]} valg i en kategori, du plejer at købe`;
    case 'en':
      return `${diet === 'alcohol-free' ? 'An' : 'A'} ${DIET_WORDS.en[diet]} choice in a category you buy`;
  }
}

export const CHROME_COPY: Readonly<Record<Language, ChromeCopy>> = {
  sv: {
    why: ({ product, category, diet }) => ({
      'often-bought': `Du köper ofta ${product}`,
      'bought-before': `Du har köpt ${product} förut`,
      'goes-with': `Medlemmar som handlar som du köper ofta ${product}`,
      category: `Du handlar ofta ${category.toLowerCase()}`,
      popular: 'Populärt bland medlemmarna',
      'diet-choice': diet ? dietChoiceReason('sv', diet) : `Du handlar ofta ${category.toLowerCase()}`,
    }),
    whyThisMail: (club) =>
      `Du får det här mejlet för att du är medlem i ${club} och har sagt ja till erbjudanden. Erbjudandena är valda utifrån dina köp, och aldrig sådant som krockar med dina kostval.`,
    preferences: 'Ändra vad och hur ofta du får mejl',
    unsubscribe: 'Avregistrera dig',
    validUntil: 'Gäller till',
  },
  da: {
    why: ({ product, category, diet }) => ({
      'often-bought': `Du køber tit ${product}`,
      'bought-before': `Du har købt ${product} før`,
      'goes-with': `Medlemmer, der handler som dig, køber tit ${product}`,
      category: `Du handler tit ${category.toLowerCase()}`,
      popular: 'Populært blandt medlemmerne',
      'diet-choice': diet ? dietChoiceReason('da', diet) : `Du handler tit ${category.toLowerCase()}`,
    }),
    whyThisMail: (club) =>
      `Du får denne mail, fordi du er medlem af ${club} og har sagt ja til tilbud. Tilbuddene er valgt ud fra dine køb og aldrig noget, der strider mod dine kostvalg.`,
    preferences: 'Vælg hvad og hvor tit du får mails',
    unsubscribe: 'Afmeld',
    validUntil: 'Gælder til',
  },
  en: {
    why: ({ product, category, diet }) => ({
      'often-bought': `You often buy ${product}`,
      'bought-before': `You have bought ${product} before`,
      'goes-with': `Members who shop like you often buy ${product}`,
      category: `You often shop ${category.toLowerCase()}`,
      popular: 'Popular with members',
      'diet-choice': diet ? dietChoiceReason('en', diet) : `You often shop ${category.toLowerCase()}`,
    }),
    whyThisMail: (club) =>
      `You get this mail because you are a member of ${club} and said yes to offers. The offers are chosen from your purchases, and never clash with your diet choices.`,
    preferences: 'Choose what and how often we mail you',
    unsubscribe: 'Unsubscribe',
    validUntil: 'Valid until',
  },
};
