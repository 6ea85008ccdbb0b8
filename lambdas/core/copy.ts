import type { Language } from './model.js';
import type { PickWhy } from './scoring.js';

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
