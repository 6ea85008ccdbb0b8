import { DEFAULT_BUDGET } from '../../lambdas/core/budget.js';
import { DEFAULT_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import type { Club, Member, Offer, Product } from '../../lambdas/core/model.js';
import type { Receipt } from '../../lambdas/core/ports.js';
import { DEFAULT_DELIVERABILITY } from '../../lambdas/core/send-protocol.js';
import { loadInstacartCatalog } from '../instacart-catalog.js';
import { loadBaskets, tafengDir, tafengFiles } from './tafeng.js';

/**
 * A club of any size whose receipts follow real shopping: every member copies the basket sequence of
 * a randomly drawn Ta-Feng member (so basket counts, basket sizes and repeat rates are Ta-Feng's),
 * and Ta-Feng's products are mapped one to one onto real Instacart products (names, aisles as
 * categories, diet labels). The data stays in ../shared/data; without it the club falls back to
 * plain random distributions, and says so.
 */
export interface Sources {
  /** Basket sequences (product ids per basket, oldest first), one per source member. */
  readonly histories: ReadonlyArray<ReadonlyArray<readonly string[]>>;
  readonly products: readonly Product[];
  /** Where the distributions came from, for the report. */
  readonly origin: string;
}

/** A small deterministic generator (mulberry32), so the same N gives the same club. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export async function loadSources(): Promise<Sources> {
  const files = tafengFiles(tafengDir());
  const catalog = loadInstacartCatalog();
  if (!files || !catalog) return fallbackSources();
  const history = await loadBaskets(files.history);
  const trips = new Map<string, number>();
  for (const baskets of history.values())
    for (const b of baskets) for (const item of b.items) trips.set(item, (trips.get(item) ?? 0) + 1);
  // The most bought Ta-Feng products become a random draw of Instacart products, one to one.
  const rnd = random(7);
  const shuffled = [...catalog].map((p) => ({ p, k: rnd() })).sort((a, b) => a.k - b.k);
  const ranked = [...trips.keys()].sort((a, b) => (trips.get(b) ?? 0) - (trips.get(a) ?? 0) || (a < b ? -1 : 1));
  const mapping = new Map<string, Product>();
  ranked.forEach((id, i) => {
    const entry = shuffled[i % shuffled.length];
    if (entry) mapping.set(id, entry.p);
  });
  const histories = [...history.values()].map((baskets) =>
    baskets.map((b) => b.items.flatMap((item) => mapping.get(item)?.productId ?? [])),
  );
  const products = [...new Map([...mapping.values()].map((p) => [p.productId, p])).values()].map(
    ({ productId, name, category, contains, freeFrom }) => ({ productId, name, category, contains, freeFrom }),
  );
  return {
    histories,
    products,
    origin: `Ta-Feng baskets (${history.size} members) onto ${products.length} Instacart products`,
  };
}

/** Without the real data: geometric basket counts, 1–15 items, Zipf-like products. Said so in the report. */
function fallbackSources(): Sources {
  const rnd = random(11);
  const products: Product[] = Array.from({ length: 2000 }, (_, i) => ({
    productId: `p${i}`,
    name: `Product ${i}`,
    category: `Aisle ${i % 40}`,
    contains: [],
    freeFrom: [],
  }));
  const zipf = () =>
    products[Math.min(products.length - 1, Math.floor(products.length * rnd() ** 3))]?.productId ?? 'p0';
  const histories = Array.from({ length: 5000 }, () =>
    Array.from({ length: 2 + Math.floor(-Math.log(1 - rnd()) * 5) }, () =>
      Array.from({ length: 1 + Math.floor(rnd() * 15) }, zipf),
    ),
  );
  return { histories, products, origin: 'FALLBACK random distributions (../shared/data not found)' };
}

export function syntheticClub(clubId: string, now: Date): Club {
  return {
    clubId,
    name: 'Scale Club',
    language: 'sv',
    senderName: 'Scale Club',
    senderEmail: 'club@scale.example',
    postalAddress: 'Storgatan 1, 111 22 Stockholm',
    brand: {
      primaryEmotion: 'community',
      secondaryEmotions: [],
      address: 'informal',
      colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' },
    },
    // No quiet hours: the benchmark runs at any hour and measures sending, not waiting for the morning.
    budget: { ...DEFAULT_BUDGET, quietHours: { start: '00:00', end: '00:00' } },
    engagement: DEFAULT_ENGAGEMENT,
    reputation: DEFAULT_DELIVERABILITY,
    createdAt: now.toISOString(),
  };
}

/** Offers on the `count` most bought products of the sources. */
export function offersOf(sources: Sources, count: number): Offer[] {
  const trips = new Map<string, number>();
  for (const h of sources.histories)
    for (const b of h) for (const p of new Set(b)) trips.set(p, (trips.get(p) ?? 0) + 1);
  return [...trips]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([productId], i) => ({ offerId: `o${String(i).padStart(4, '0')}`, productId, headline: '2 for 1' }));
}

export interface SyntheticMember {
  readonly member: Member;
  readonly receipts: Receipt[];
}

/** Member `i` of the club: a Ta-Feng member's baskets, the last 1–20 days ago, 3–21 days apart. */
export function syntheticMember(sources: Sources, clubId: string, i: number, now: Date): SyntheticMember {
  const rnd = random(1_000_003 * (i + 1));
  const memberId = `m${String(i).padStart(7, '0')}`;
  const history = sources.histories[Math.floor(rnd() * sources.histories.length)] ?? [];
  const receipts: Receipt[] = [];
  let at = now.getTime() - (1 + rnd() * 19) * 86_400_000;
  for (let j = history.length - 1; j >= 0; j -= 1) {
    const items = [...new Set(history[j] ?? [])].map((productId) => ({ productId, quantity: 1 }));
    if (items.length > 0)
      receipts.push({ receiptId: `r${i}-${j}`, memberId, at: new Date(Math.floor(at)).toISOString(), items });
    at -= (3 + rnd() * 18) * 86_400_000;
  }
  receipts.reverse();
  const member: Member = {
    clubId,
    memberId,
    email: `${memberId}@scale.example`,
    firstName: 'Alex',
    language: 'sv',
    timeZone: 'Europe/Stockholm',
    joinedAt: '2024-01-01T00:00:00.000Z',
    // One in twenty unsubscribed: the fit must leave them out.
    subscription: rnd() < 0.05 ? 'unsubscribed' : 'subscribed',
    deliverability: 'ok',
    lastEngagedAt: new Date(now.getTime() - 86_400_000).toISOString(),
    consent: {
      marketing: true,
      textVersion: 'v1',
      at: '2024-01-01T00:00:00.000Z',
      source: 'bench',
      legalBasis: 'consent',
    },
    preferences: {
      frequency: 'club-default',
      topics: ['offers', 'surveys'],
      declaredRestrictions: [],
      rejectedInferences: [],
      nameDayMail: false,
    },
  };
  return { member, receipts };
}
