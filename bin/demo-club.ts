import { CONSERVATIVE_BUDGET } from '../lambdas/core/budget.js';
import type { DietTag, Restriction } from '../lambdas/core/diet.js';
import { DietTag as DietTagSchema } from '../lambdas/core/diet.js';
import { CONSERVATIVE_ENGAGEMENT } from '../lambdas/core/engagement.js';
import type { Club, Member, Offer, Product } from '../lambdas/core/model.js';
import { buildProfile, type PurchaseLine, type PurchaseProfile } from '../lambdas/core/profile.js';
import { DEFAULT_DELIVERABILITY } from '../lambdas/core/send-protocol.js';

/** A small, seeded PRNG (mulberry32), so the demo club is the same on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALL_TAGS = DietTagSchema.options;

/** Fully labelled: every tag a product does not contain, it is known to be free from. */
function product(productId: string, name: string, category: string, contains: DietTag[]): Product {
  return { productId, name, category, contains, freeFrom: ALL_TAGS.filter((t) => !contains.includes(t)) };
}

/** Product lines per category: [name, tags]. Brands multiply them into a catalog of about 200. */
const LINES: Record<string, Array<[string, DietTag[]]>> = {
  Bröd: [
    ['Surdegsbröd', ['gluten']],
    ['Rågknäcke', ['gluten']],
    ['Kanelbullar', ['gluten', 'lactose', 'dairy', 'egg']],
    ['Glutenfritt bröd', []],
    ['Glutenfritt knäckebröd', []],
  ],
  Pasta: [
    ['Spaghetti', ['gluten']],
    ['Fusilli', ['gluten']],
    ['Äggtagliatelle', ['gluten', 'egg']],
    ['Glutenfri penne', []],
    ['Glutenfri spaghetti', []],
  ],
  Mejeri: [
    ['Mellanmjölk', ['lactose', 'dairy']],
    ['Grekisk yoghurt', ['lactose', 'dairy']],
    ['Prästost', ['lactose', 'dairy']],
    ['Laktosfri mjölk', ['dairy']],
    ['Laktosfri yoghurt', ['dairy']],
  ],
  Växtbaserat: [
    ['Havredryck', []],
    ['Havregurt', []],
    ['Tofu', []],
    ['Sojafärs', []],
  ],
  Kött: [
    ['Fläskkotletter', ['meat', 'pork']],
    ['Bacon', ['meat', 'pork']],
    ['Kycklingfilé', ['meat']],
    ['Nötfärs', ['meat']],
  ],
  Fisk: [
    ['Laxfilé', ['fish']],
    ['Torskrygg', ['fish']],
    ['Inlagd sill', ['fish']],
  ],
  'Frukt och grönt': [
    ['Bananer', []],
    ['Äpplen', []],
    ['Tomater', []],
    ['Avokado', []],
    ['Potatis', []],
  ],
  Snacks: [
    ['Saltade cashewnötter', ['nuts']],
    ['Jordnötssmör', ['nuts']],
    ['Potatischips', []],
    ['Mörk choklad', ['lactose', 'dairy']],
  ],
  Dryck: [
    ['Bubbelvatten', []],
    ['Apelsinjuice', []],
    ['Alkoholfri öl', ['gluten']],
  ],
  'Öl och vin': [
    ['Lageröl', ['alcohol', 'gluten']],
    ['Rödvin', ['alcohol']],
    ['Cider', ['alcohol']],
  ],
  Frukost: [
    ['Havregryn', ['gluten']],
    ['Müsli', ['gluten', 'nuts']],
    ['Glutenfri granola', []],
    ['Frigående ägg', ['egg']],
  ],
  Fryst: [
    ['Frysta ärter', []],
    ['Fiskpinnar', ['fish', 'gluten']],
    ['Vaniljglass', ['lactose', 'dairy', 'egg']],
    ['Pizza margherita', ['gluten', 'lactose', 'dairy']],
    ['Vegansk glass', []],
  ],
};

const BRANDS = ['Gårdens', 'Nordisk', 'Smarta', 'Eko'];

export interface DemoClub {
  readonly club: Club;
  readonly products: Product[];
  readonly offers: Offer[];
  readonly members: Member[];
  readonly profiles: Map<string, PurchaseProfile>;
  /** The receipts the profiles were built from, so a later ingest rebuilds them consistently. */
  readonly purchases: PurchaseLine[];
}

type Persona = 'gluten-free' | 'vegan' | 'lactose-free' | 'family' | 'single';

const FIRST_NAMES = [
  'Anna',
  'Erik',
  'Maria',
  'Lars',
  'Karin',
  'Johan',
  'Sara',
  'Anders',
  'Emma',
  'Per',
  'Freja',
  'Mads',
  'Ida',
  'Oskar',
  'Linnea',
  'Noah',
  'Elsa',
  'Hugo',
  'Maja',
  'Liam',
];
const LAST_NAMES = [
  'Andersson',
  'Johansson',
  'Karlsson',
  'Nilsson',
  'Eriksson',
  'Larsson',
  'Olsen',
  'Hansen',
  'Lindqvist',
  'Berg',
];

/** A grocery club whose brand evokes community: 200 products, 50 offers, 50 members with receipts. */
export function demoGroceryClub(now: Date, seed = 42, clubId = 'stadsbutiken'): DemoClub {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(rnd() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };

  const club: Club = {
    clubId,
    reputation: DEFAULT_DELIVERABILITY,
    name: 'Stadsbutiken Klubb',
    language: 'sv',
    senderName: 'Stadsbutiken',
    senderEmail: 'klubb@stadsbutiken.example',
    postalAddress: 'Storgatan 1, 111 22 Stockholm',
    brand: {
      primaryEmotion: 'community',
      secondaryEmotions: ['care'],
      address: 'informal',
      colours: { primary: '#1d6b3a', background: '#f3f7f1', text: '#1a1a1a' },
    },
    // No quiet hours in the demo, so `npm start` mails at any hour; real clubs default to 21:00–08:00.
    // The first, conservative preset (≤ 1 per 3 days, no habit floor), so the demo mails every eligible member and a
    // second `npm start` shows the budget holding mail back. New clubs get the selective default (docs/benchmarks-fatigue.md).
    budget: { ...CONSERVATIVE_BUDGET, quietHours: { start: '00:00', end: '00:00' } },
    engagement: CONSERVATIVE_ENGAGEMENT,
    // Surveys: a fifth of the members per relationship survey; a low score is a case for customer service.
    feedback: {
      relationshipSampleShare: 0.2,
      caseOwner: 'Kundtjänst',
      feedbackEmail: 'feedback@stadsbutiken.example',
      caseDueHours: 48,
      topics: [
        { id: 'queues', keywords: ['kö', 'kassa', 'queue', 'checkout'] },
        { id: 'freshness', keywords: ['färsk', 'mögel', 'fresh', 'mould'] },
        { id: 'staff', keywords: ['personal', 'bemötande', 'staff'] },
      ],
    },
    createdAt: now.toISOString(),
  };

  const products: Product[] = [];
  for (const [category, lines] of Object.entries(LINES)) {
    for (const [name, tags] of lines) {
      for (const brand of BRANDS) {
        products.push(
          product(`p${String(products.length + 1).padStart(3, '0')}`, `${brand} ${name.toLowerCase()}`, category, tags),
        );
      }
    }
  }

  // One offer per product line (the first brand), 50 in all: gluten, dairy and meat included on purpose.
  const offers: Offer[] = products
    .filter((_, i) => i % BRANDS.length === 0)
    .map((p, i) => ({
      offerId: `o${String(i + 1).padStart(3, '0')}`,
      productId: p.productId,
      headline: pick(['20 % rabatt', '2 för 1', 'Medlemspris 29 kr', 'Köp 3, betala för 2', '25 % rabatt']),
      validUntil: new Date(now.getTime() + 7 * 86_400_000).toISOString().slice(0, 10),
    }));

  const byCategory = new Map<string, Product[]>();
  for (const p of products) byCategory.set(p.category, [...(byCategory.get(p.category) ?? []), p]);
  const catalog = new Map(products.map((p) => [p.productId, p]));
  const allowedFor = (persona: Persona, p: Product): boolean => {
    if (persona === 'gluten-free') return !p.contains.includes('gluten');
    if (persona === 'lactose-free') return !p.contains.includes('lactose');
    if (persona === 'vegan')
      return !p.contains.some((t) => ['meat', 'pork', 'fish', 'egg', 'dairy', 'lactose'].includes(t));
    return true;
  };
  const personas: Persona[] = [
    ...Array<Persona>(10).fill('gluten-free'),
    ...Array<Persona>(5).fill('vegan'),
    ...Array<Persona>(5).fill('lactose-free'),
    ...Array<Persona>(15).fill('family'),
    ...Array<Persona>(15).fill('single'),
  ];

  const members: Member[] = [];
  const profiles = new Map<string, PurchaseProfile>();
  const purchases: PurchaseLine[] = [];
  personas.forEach((persona, i) => {
    const memberId = `m${String(i + 1).padStart(3, '0')}`;
    const first = FIRST_NAMES[i % FIRST_NAMES.length] ?? 'Alex';
    const last = LAST_NAMES[(i * 7) % LAST_NAMES.length] ?? 'Berg';
    const language = i % 10 === 7 ? 'en' : i % 10 === 8 ? 'da' : 'sv';
    const declared: Restriction[] = persona === 'vegan' ? ['vegan'] : [];
    members.push({
      clubId: club.clubId,
      memberId,
      email: `${first}.${last}.${memberId}@${clubId}.example`.toLowerCase(),
      firstName: first,
      language,
      timeZone: language === 'da' ? 'Europe/Copenhagen' : 'Europe/Stockholm',
      joinedAt: new Date(now.getTime() - (100 + i * 9) * 86_400_000).toISOString(),
      subscription: i === 44 ? 'unsubscribed' : 'subscribed',
      deliverability: 'ok',
      consent: {
        marketing: i !== 45,
        textVersion: 'club-terms-2026-01',
        at: new Date(now.getTime() - (100 + i * 9) * 86_400_000).toISOString(),
        source: 'signup-form',
        legalBasis: 'consent',
      },
      preferences: {
        frequency: i === 46 ? 'occasions-only' : i % 6 === 0 ? 'weekly' : 'club-default',
        topics: ['offers', 'news', 'events', 'surveys'],
        declaredRestrictions: declared,
        rejectedInferences: [],
        nameDayMail: false,
        ...(i === 47 ? { pausedUntil: new Date(now.getTime() + 30 * 86_400_000).toISOString() } : {}),
      },
    });

    // Habits: a few favourite products the member buys again and again, plus occasional others.
    const allowed = products.filter((p) => allowedFor(persona, p));
    const favourites = Array.from({ length: 6 }, () => pick(allowed));
    if (persona === 'gluten-free') {
      favourites.push(...(byCategory.get('Bröd') ?? []).filter((p) => p.name.includes('glutenfri')).slice(0, 2));
      favourites.push(...(byCategory.get('Pasta') ?? []).filter((p) => p.name.includes('glutenfri')).slice(0, 2));
    }
    const lines: PurchaseLine[] = [];
    const receipts = 6 + Math.floor(rnd() * 10);
    for (let r = 0; r < receipts; r++) {
      const at = new Date(now.getTime() - Math.floor(rnd() * 90) * 86_400_000).toISOString();
      const receiptId = `${memberId}-r${r}`;
      const size = 3 + Math.floor(rnd() * 6);
      for (let j = 0; j < size; j++) {
        const chosen = rnd() < 0.7 ? pick(favourites) : pick(allowed);
        lines.push({ memberId, receiptId, at, productId: chosen.productId });
      }
    }
    profiles.set(memberId, buildProfile(lines, catalog, now));
    purchases.push(...lines);
  });

  return { club, products, offers, members, profiles, purchases };
}
