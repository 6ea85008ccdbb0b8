import type { z } from 'zod';
import type { DietTag, Restriction } from '../../lambdas/core/diet.js';
import {
  Campaign,
  Club,
  Member,
  Offer,
  type OfferWithProduct,
  type Preferences,
  Product,
} from '../../lambdas/core/model.js';
import { PurchaseLine, PurchaseProfile } from '../../lambdas/core/profile.js';

/** A fixed "now" for every test, so nothing depends on the wall clock. */
export const NOW = new Date('2025-06-15T10:00:00.000Z');
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export function daysAgo(days: number, from: Date = NOW): Date {
  return new Date(from.getTime() - days * DAY_MS);
}

export function daysLater(days: number, from: Date = NOW): Date {
  return new Date(from.getTime() + days * DAY_MS);
}

/**
 * What each restriction forbids, written out independently of `FORBIDDEN_TAGS`, so tests compare
 * the code against the product rule rather than against itself.
 */
export const EXPECTED_FORBIDDEN: Readonly<Record<Restriction, readonly DietTag[]>> = {
  'gluten-free': ['gluten'],
  'lactose-free': ['lactose'],
  vegetarian: ['meat', 'pork', 'fish'],
  vegan: ['meat', 'pork', 'fish', 'egg', 'dairy', 'lactose'],
  'pork-free': ['pork'],
  'alcohol-free': ['alcohol'],
  'nut-free': ['nuts'],
};

export function aClub(overrides: Partial<z.input<typeof Club>> = {}): Club {
  return Club.parse({
    clubId: 'club-1',
    name: 'Hörnbutiken',
    language: 'en',
    senderName: 'Hörnbutiken',
    senderEmail: 'club@hornbutiken.example',
    postalAddress: 'Storgatan 1, 111 22 Stockholm',
    brand: {
      primaryEmotion: 'community',
      colours: { primary: '#1a7f37', background: '#f6f8fa', text: '#24292f' },
    },
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  });
}

type MemberOverrides = Omit<Partial<z.input<typeof Member>>, 'preferences' | 'consent'> & {
  readonly preferences?: Partial<z.input<typeof Preferences>>;
  readonly consent?: Partial<z.input<typeof Member>['consent']>;
};

export function aMember(overrides: MemberOverrides = {}): Member {
  const { preferences, consent, ...rest } = overrides;
  return Member.parse({
    clubId: 'club-1',
    memberId: 'member-1',
    email: 'anna@example.com',
    firstName: 'Anna',
    language: 'en',
    joinedAt: '2024-01-01T00:00:00.000Z',
    ...rest,
    consent: {
      marketing: true,
      textVersion: 'v1',
      at: '2024-01-01T00:00:00.000Z',
      source: 'signup-form',
      legalBasis: 'consent',
      ...consent,
    },
    preferences: { ...preferences },
  });
}

export function aProduct(overrides: Partial<z.input<typeof Product>> & { productId: string }): Product {
  return Product.parse({ name: overrides.productId, category: 'Groceries', ...overrides });
}

/** An offer on a product; the offer id is `offer-<productId>` unless given. */
export function anOffer(product: Product, overrides: Partial<z.input<typeof Offer>> = {}): OfferWithProduct {
  return {
    offer: Offer.parse({
      offerId: `offer-${product.productId}`,
      productId: product.productId,
      headline: '20 % off',
      ...overrides,
    }),
    product,
  };
}

/** A small grocery catalog with honest diet labels. */
export const CATALOG = {
  spaghetti: aProduct({
    productId: 'spaghetti',
    name: 'Spaghetti',
    category: 'Pasta',
    contains: ['gluten'],
    freeFrom: ['nuts', 'lactose', 'dairy', 'egg', 'meat', 'pork', 'fish', 'alcohol'],
  }),
  gfPasta: aProduct({
    productId: 'gf-pasta',
    name: 'Gluten-free fusilli',
    category: 'Pasta',
    freeFrom: ['gluten', 'nuts', 'lactose', 'dairy', 'egg', 'meat', 'pork', 'fish', 'alcohol'],
  }),
  /** Pasta whose gluten status nobody labelled. */
  unlabelledPasta: aProduct({ productId: 'penne', name: 'Penne', category: 'Pasta' }),
  sourdough: aProduct({
    productId: 'sourdough',
    name: 'Sourdough loaf',
    category: 'Bread',
    contains: ['gluten'],
    freeFrom: ['nuts', 'lactose', 'dairy', 'egg', 'meat', 'pork', 'fish', 'alcohol'],
  }),
  gfBread: aProduct({
    productId: 'gf-bread',
    name: 'Gluten-free bread',
    category: 'Bread',
    freeFrom: ['gluten', 'nuts', 'lactose', 'dairy', 'meat', 'pork', 'fish', 'alcohol'],
  }),
  milk: aProduct({
    productId: 'milk',
    name: 'Milk',
    category: 'Dairy',
    contains: ['lactose', 'dairy'],
    freeFrom: ['gluten', 'nuts', 'egg', 'meat', 'pork', 'fish', 'alcohol'],
  }),
  lfMilk: aProduct({
    productId: 'lf-milk',
    name: 'Lactose-free milk',
    category: 'Dairy',
    contains: ['dairy'],
    freeFrom: ['lactose', 'gluten', 'nuts', 'egg', 'meat', 'pork', 'fish', 'alcohol'],
  }),
  oatDrink: aProduct({
    productId: 'oat-drink',
    name: 'Oat drink',
    category: 'Dairy',
    freeFrom: ['lactose', 'dairy', 'nuts', 'egg', 'meat', 'pork', 'fish', 'alcohol'],
  }),
  porkChops: aProduct({
    productId: 'pork-chops',
    name: 'Pork chops',
    category: 'Meat',
    contains: ['meat', 'pork'],
    freeFrom: ['gluten', 'lactose', 'dairy', 'egg', 'fish', 'nuts', 'alcohol'],
  }),
  salmon: aProduct({
    productId: 'salmon',
    name: 'Salmon fillet',
    category: 'Fish',
    contains: ['fish'],
    freeFrom: ['gluten', 'lactose', 'dairy', 'egg', 'meat', 'pork', 'nuts', 'alcohol'],
  }),
  beer: aProduct({
    productId: 'beer',
    name: 'Pale ale',
    category: 'Drinks',
    contains: ['alcohol', 'gluten'],
    freeFrom: ['nuts', 'lactose', 'dairy', 'egg', 'meat', 'pork', 'fish'],
  }),
  peanuts: aProduct({
    productId: 'peanuts',
    name: 'Salted peanuts',
    category: 'Snacks',
    contains: ['nuts'],
    freeFrom: ['gluten', 'lactose', 'dairy', 'egg', 'meat', 'pork', 'fish', 'alcohol'],
  }),
  crisps: aProduct({
    productId: 'crisps',
    name: 'Crisps',
    category: 'Snacks',
    freeFrom: ['gluten', 'nuts', 'lactose', 'dairy', 'egg', 'meat', 'pork', 'fish', 'alcohol'],
  }),
} as const;

export const CATALOG_MAP: ReadonlyMap<string, Product> = new Map(Object.values(CATALOG).map((p) => [p.productId, p]));

export function aCampaign(overrides: Partial<z.input<typeof Campaign>> = {}): Campaign {
  return Campaign.parse({
    clubId: 'club-1',
    campaignId: 'summer-1',
    name: 'Summer offers',
    theme: 'community',
    offerPool: ['offer-spaghetti'],
    sendAt: '2025-06-15T08:00:00.000Z',
    status: 'planning',
    createdAt: '2025-06-01T00:00:00.000Z',
    updatedAt: '2025-06-01T00:00:00.000Z',
    ...overrides,
  });
}

/** One receipt line. */
export function line(productId: string, receiptId: string, at: Date, memberId = 'member-1'): PurchaseLine {
  return PurchaseLine.parse({ memberId, receiptId, at: at.toISOString(), productId });
}

/**
 * A profile with the given purchase counts per product; categories and line counts follow from the
 * catalog, as `buildProfile` would produce them.
 */
export function aProfile(
  counts: Readonly<Record<string, number>>,
  options: { readonly inferred?: readonly Restriction[]; readonly catalog?: ReadonlyMap<string, Product> } = {},
): PurchaseProfile {
  const catalog = options.catalog ?? CATALOG_MAP;
  const products: Record<string, { count: number; lastAt: string }> = {};
  const categories: Record<string, number> = {};
  let lines = 0;
  for (const [productId, count] of Object.entries(counts)) {
    if (count <= 0) continue;
    products[productId] = { count, lastAt: daysAgo(1).toISOString() };
    lines += count;
    const category = catalog.get(productId)?.category;
    if (category) categories[category] = (categories[category] ?? 0) + count;
  }
  return PurchaseProfile.parse({
    receipts: lines,
    lines,
    ...(lines > 0 ? { lastPurchaseAt: daysAgo(1).toISOString() } : {}),
    products,
    categories,
    inferredRestrictions: options.inferred ?? [],
  });
}
