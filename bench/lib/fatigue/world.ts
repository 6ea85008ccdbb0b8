/**
 * The simulated club: members with purchase habits, true and known diets and an engagement
 * propensity; a year of competing campaigns; and, for every member × campaign, what the real ranking
 * would put in the mail. The world does not depend on the policy, so every policy runs on the same one.
 */
import { demoGroceryClub, random } from '../../../bin/demo-club.js';
import { type ClubModel, modelScorer, toClubModel } from '../../../lambdas/core/club-model.js';
import { conflictingTags, type DietTag, forbiddenTags, type Restriction } from '../../../lambdas/core/diet.js';
import type { Frequency, OfferWithProduct, Product } from '../../../lambdas/core/model.js';
import { type BasketRecord, fitModel } from '../../../lambdas/core/next-basket.js';
import { rankOffers } from '../../../lambdas/core/offers.js';
import {
  buildProfile,
  effectiveRestrictions,
  type PurchaseLine,
  type PurchaseProfile,
} from '../../../lambdas/core/profile.js';
import type { Scorer } from '../../../lambdas/core/scoring.js';
import type { MemberDraws } from './behaviour.js';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/**
 * The ranking the simulator uses, as `decide` calls it: the club's fitted next-basket model, the
 * member's profile and the club's popularity counters. The one place to switch scorers, so the
 * simulated mails carry what the real planner would pick.
 */
export function scorerFor(model: ClubModel, profile: PurchaseProfile, popularity: ReadonlyMap<string, number>): Scorer {
  return modelScorer(model, profile, popularity);
}

/** The club model as lambdas/app/fit-club-model.ts fits it: each receipt one basket, offered products as targets. */
export function fitClubModelFrom(records: readonly BasketRecord[], offered: Iterable<string>, at: number): ClubModel {
  return toClubModel(fitModel(records), offered, new Date(at));
}

/** Offers per mail, as a campaign's default `offersPerMail`. */
export const OFFERS_PER_MAIL = 3;

/**
 * Who the members are. Population assumptions (not behaviour, and not from a source): the shares of
 * true diets, how many members tell us theirs, how many have stopped shopping, and their chosen frequency.
 */
export const POPULATION = {
  diets: [
    { diet: 'none', share: 0.6, restrictions: [] },
    { diet: 'gluten-free', share: 0.06, restrictions: ['gluten-free'] },
    { diet: 'lactose-free', share: 0.1, restrictions: ['lactose-free'] },
    { diet: 'vegetarian', share: 0.1, restrictions: ['vegetarian'] },
    { diet: 'vegan', share: 0.04, restrictions: ['vegan'] },
    { diet: 'pork-free', share: 0.05, restrictions: ['pork-free'] },
    { diet: 'nut-free', share: 0.05, restrictions: ['nut-free'] },
  ],
  /** Share of members with a diet who declare it on the preference page; the rest is for inference to find. */
  declareShare: 0.4,
  /**
   * Members who rarely shop with the club card any more (a trip every 1–6 months); the others shop
   * 0.4–1.6 times a week. Zhang et al. (2017): purchase-active and email-active are different groups.
   */
  lapsedShare: 0.25,
  /** Members who chose fewer mails on the preference page. */
  weeklyShare: 0.08,
  monthlyShare: 0.03,
  /** Receipts before the simulated year, and how far back a profile looks. */
  historyDays: 120,
  profileDays: 120,
  /**
   * Profiles, the club model and popularity are rebuilt every this many weeks. The real jobs run
   * nightly; this is for speed, and the simulated habits do not drift.
   */
  profileRebuildWeeks: 8,
} as const satisfies {
  diets: ReadonlyArray<{ diet: string; share: number; restrictions: readonly Restriction[] }>;
  [key: string]: unknown;
};

export interface SimMember {
  readonly index: number;
  readonly memberId: string;
  readonly diet: string;
  readonly trueRestrictions: readonly Restriction[];
  readonly declared: readonly Restriction[];
  readonly frequency: Frequency;
  /** Uniform draws that the behaviour model turns into open propensity and patience (behaviour.ts `traitsOf`). */
  readonly traits: MemberDraws;
  /** Whether the planner knows the true diet (declared, or inferred at the start of the year). */
  readonly dietKnownAtStart: boolean;
  /** When the member shopped with the club card, in time order (history and the simulated year). */
  readonly purchaseTimes: readonly number[];
}

export interface SimCampaign {
  readonly index: number;
  readonly campaignId: string;
  readonly name: string;
  readonly at: number;
  readonly week: number;
  /** 1 for weekly offers and themes, 2 for the big seasonal campaigns. */
  readonly priority: number;
  readonly pool: readonly OfferWithProduct[];
}

export interface World {
  readonly seed: number;
  readonly start: number;
  readonly weeks: number;
  readonly members: readonly SimMember[];
  /** Sorted by send time. */
  readonly campaigns: readonly SimCampaign[];
  /** [campaign × members + member]: the best offer's score, 0 when the mail would have no offer. */
  readonly relevance: Float64Array;
  /** [campaign × members + member]: 1 when an offer in the mail breaks the member's true diet. */
  readonly breach: Uint8Array;
  /** [campaign × members + member]: 1 when an offer breaks a restriction the planner knew. Must stay 0. */
  readonly knownBreach: Uint8Array;
}

export interface WorldOptions {
  readonly seed: number;
  readonly members: number;
  readonly weeks?: number;
}

/** The simulated year starts on a Monday. */
export const SIM_START = Date.parse('2026-01-05T00:00:00Z');

export function buildWorld(options: WorldOptions): World {
  const weeks = options.weeks ?? 52;
  const start = SIM_START;
  const products = demoGroceryClub(new Date(start), options.seed).products;
  const offers: OfferWithProduct[] = products.map((product) => ({
    offer: { offerId: `f-${product.productId}`, productId: product.productId, headline: 'Medlemspris' },
    product,
  }));
  const catalog = new Map(products.map((p) => [p.productId, p]));
  const campaigns = campaignCalendar(offers, start, weeks, random(options.seed ^ 0x5eed));
  const rnd = random(options.seed);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(rnd() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };

  // Members first: diet, what they tell us, habits; their receipts follow from the habits.
  const drafts = Array.from({ length: options.members }, (_, index) => {
    const diet = pickDiet(rnd());
    const trueRestrictions = [...diet.restrictions];
    const declared = trueRestrictions.length > 0 && rnd() < POPULATION.declareShare ? trueRestrictions : [];
    const forbidden = forbiddenTags(trueRestrictions);
    const shelf = products.filter((p) => conflictingTags(p, forbidden).length === 0);
    const categories = [...new Set(shelf.map((p) => p.category))];
    const liked = Array.from({ length: 4 }, () => pick(categories));
    const favourites = [
      ...Array.from({ length: 6 }, () => pick(shelf.filter((p) => liked.includes(p.category)))),
      ...Array.from({ length: 2 }, () => pick(shelf)),
      ...staples(diet.diet, shelf).slice(0, 3),
    ];
    const choice = rnd();
    const frequency: Frequency =
      choice < POPULATION.weeklyShare
        ? 'weekly'
        : choice < POPULATION.weeklyShare + POPULATION.monthlyShare
          ? 'monthly'
          : 'club-default';
    const traits = { dormancy: rnd(), openness: rnd(), patience: rnd() };
    const tripsPerWeek = rnd() < POPULATION.lapsedShare ? 0.04 + rnd() * 0.2 : 0.4 + rnd() * 1.2;
    return {
      index,
      diet,
      trueRestrictions,
      declared,
      shelf,
      favourites,
      frequency,
      traits,
      tripsPerWeek,
      seed: Math.floor(rnd() * 2 ** 31),
    };
  });
  const end = start + weeks * 7 * DAY_MS;
  const histories = drafts.map((draft) => shoppingHistory(draft, start - POPULATION.historyDays * DAY_MS, end));

  const memberCount = options.members;
  const relevance = new Float64Array(campaigns.length * memberCount);
  const breach = new Uint8Array(campaigns.length * memberCount);
  const knownBreach = new Uint8Array(campaigns.length * memberCount);
  const dietKnownAtStart = new Array<boolean>(memberCount).fill(false);
  const blockMs = POPULATION.profileRebuildWeeks * 7 * DAY_MS;
  const offered = offers.map((o) => o.product.productId);
  let cursor = 0;
  for (let blockStart = start; blockStart < end; blockStart += blockMs) {
    const blockCampaigns: SimCampaign[] = [];
    for (; cursor < campaigns.length; cursor++) {
      const campaign = campaigns[cursor];
      if (!campaign || campaign.at >= blockStart + blockMs) break;
      blockCampaigns.push(campaign);
    }
    // What the nightly jobs would hold at the block's start: the club model, popularity, each profile.
    const past = histories.map((receipts) => receipts.filter((r) => r.time < blockStart));
    const records: BasketRecord[] = past.flatMap((receipts, m) =>
      receipts.map((r, seq) => ({ memberId: `sim-${m}`, seq, items: r.items })),
    );
    const model = fitClubModelFrom(records, offered, blockStart);
    const popularity = tripPopularity(past);
    for (const draft of drafts) {
      const memberId = `sim-${draft.index}`;
      const from = blockStart - POPULATION.profileDays * DAY_MS;
      const recent = (past[draft.index] ?? []).filter((r) => r.time >= from);
      const profile = buildProfile(linesOf(memberId, recent), catalog, new Date(blockStart));
      const known = effectiveRestrictions(draft.declared, profile.inferredRestrictions, []);
      const knownForbidden = forbiddenTags(known);
      const trulyForbidden = forbiddenTags(draft.trueRestrictions);
      if (blockStart === start)
        dietKnownAtStart[draft.index] = [...trulyForbidden].every((tag) => knownForbidden.has(tag));
      const scorer = scorerFor(model, profile, popularity);
      for (const campaign of blockCampaigns) {
        const ranked = rankOffers({ scorer, candidates: campaign.pool, restrictions: known, k: OFFERS_PER_MAIL });
        const cell = campaign.index * memberCount + draft.index;
        relevance[cell] = ranked.picks[0]?.score ?? 0;
        if (breaks(ranked.picks, catalog, trulyForbidden)) breach[cell] = 1;
        if (breaks(ranked.picks, catalog, knownForbidden)) knownBreach[cell] = 1;
      }
    }
  }
  const members: SimMember[] = drafts.map((draft) => ({
    index: draft.index,
    memberId: `sim-${draft.index}`,
    diet: draft.diet.diet,
    trueRestrictions: draft.trueRestrictions,
    declared: draft.declared,
    frequency: draft.frequency,
    traits: draft.traits,
    dietKnownAtStart: dietKnownAtStart[draft.index] ?? false,
    purchaseTimes: (histories[draft.index] ?? []).map((r) => r.time),
  }));
  return { seed: options.seed, start, weeks, members, campaigns, relevance, breach, knownBreach };
}

/** Whether any pick is a product that conflicts with the forbidden tags (unknown labelling counts, as in diet.ts). */
export function breaks(
  picks: ReadonlyArray<{ readonly productId: string }>,
  catalog: ReadonlyMap<string, Product>,
  forbidden: ReadonlySet<DietTag>,
): boolean {
  return picks.some((pick) => {
    const product = catalog.get(pick.productId);
    if (!product) throw new Error(`picked an unknown product ${pick.productId}`);
    return conflictingTags(product, forbidden).length > 0;
  });
}

function pickDiet(u: number): (typeof POPULATION.diets)[number] {
  let acc = 0;
  for (const diet of POPULATION.diets) {
    acc += diet.share;
    if (u < acc) return diet;
  }
  return POPULATION.diets[0];
}

/** The free-from staples that make a diet visible in a basket (and to the inference). */
function staples(diet: string, shelf: readonly Product[]): Product[] {
  if (diet === 'gluten-free') return shelf.filter((p) => /glutenfri/i.test(p.name));
  if (diet === 'lactose-free') return shelf.filter((p) => /laktosfri/i.test(p.name));
  if (diet === 'vegan' || diet === 'vegetarian') return shelf.filter((p) => p.category === 'Växtbaserat');
  return [];
}

/** The club's popularity counters: receipts holding each product, 1 for the most bought. */
function tripPopularity(histories: ReadonlyArray<readonly Receipt[]>): Map<string, number> {
  const trips = new Map<string, number>();
  for (const receipts of histories)
    for (const r of receipts) for (const id of new Set(r.items)) trips.set(id, (trips.get(id) ?? 0) + 1);
  const most = Math.max(1, ...trips.values());
  return new Map([...trips].map(([id, n]) => [id, n / most]));
}

interface Receipt {
  readonly time: number;
  readonly items: readonly string[];
}

function linesOf(memberId: string, receipts: readonly Receipt[]): PurchaseLine[] {
  return receipts.flatMap((r) => {
    const at = new Date(r.time).toISOString();
    const receiptId = `${memberId}-${r.time}`;
    return r.items.map((productId) => ({ memberId, receiptId, at, productId }));
  });
}

/** Club-card receipts: trips at the member's own rate, 70 % of items from their favourites. */
function shoppingHistory(
  habits: {
    readonly favourites: readonly Product[];
    readonly shelf: readonly Product[];
    readonly tripsPerWeek: number;
    readonly seed: number;
  },
  from: number,
  to: number,
): Receipt[] {
  const rnd = random(habits.seed);
  const pick = (items: readonly Product[]): Product => {
    const item = items[Math.floor(rnd() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  const receipts: Receipt[] = [];
  for (let day = from; day < to; day += DAY_MS) {
    if (rnd() >= habits.tripsPerWeek / 7) continue;
    const size = 3 + Math.floor(rnd() * 6);
    const items = Array.from(
      { length: size },
      () => (rnd() < 0.7 ? pick(habits.favourites) : pick(habits.shelf)).productId,
    );
    receipts.push({ time: day + 17 * HOUR_MS, items });
  }
  return receipts;
}

/** Categories each kind of campaign draws its offers from (all categories when empty). */
const THEMES: ReadonlyArray<{ readonly name: string; readonly categories: readonly string[] }> = [
  { name: 'Frukost', categories: ['Frukost', 'Mejeri', 'Bröd', 'Växtbaserat'] },
  { name: 'Vardagsmiddag', categories: ['Pasta', 'Kött', 'Fisk', 'Frukt och grönt', 'Fryst'] },
  { name: 'Växtkraft', categories: ['Växtbaserat', 'Frukt och grönt', 'Fryst'] },
  { name: 'Fika', categories: ['Bröd', 'Mejeri', 'Snacks', 'Dryck'] },
  { name: 'Fritt från', categories: ['Bröd', 'Pasta', 'Mejeri', 'Frukost'] },
  { name: 'Sista chansen', categories: [] },
];
const SEASONS: ReadonlyArray<{ readonly week: number; readonly name: string; readonly categories: readonly string[] }> =
  [
    { week: 6, name: 'Alla hjärtans dag', categories: ['Snacks', 'Öl och vin', 'Fryst', 'Dryck'] },
    { week: 13, name: 'Påsk', categories: ['Fisk', 'Frukost', 'Mejeri', 'Öl och vin', 'Snacks'] },
    { week: 24, name: 'Midsommar', categories: ['Fisk', 'Frukt och grönt', 'Öl och vin', 'Mejeri', 'Snacks'] },
    { week: 33, name: 'Kräftskiva', categories: ['Fisk', 'Öl och vin', 'Bröd', 'Mejeri'] },
    { week: 46, name: 'Black Friday', categories: [] },
    { week: 49, name: 'Julbord', categories: ['Kött', 'Fisk', 'Bröd', 'Snacks', 'Öl och vin'] },
    { week: 50, name: 'Jul', categories: ['Kött', 'Fisk', 'Bröd', 'Snacks', 'Öl och vin', 'Dryck'] },
  ];
const WEEKEND_CATEGORIES = ['Kött', 'Fisk', 'Snacks', 'Dryck', 'Öl och vin', 'Frukt och grönt', 'Fryst'];

/**
 * 3–5 campaign mails a week: weekly offers on Monday and weekend offers on Thursday (priority 1),
 * themed mails on random days and hours, and the big seasonal campaigns (priority 2).
 */
export function campaignCalendar(
  offers: readonly OfferWithProduct[],
  start: number,
  weeks: number,
  rnd: () => number,
): SimCampaign[] {
  const pool = (categories: readonly string[], size: number): OfferWithProduct[] => {
    const eligible =
      categories.length === 0 ? [...offers] : offers.filter((o) => categories.includes(o.product.category));
    const chosen: OfferWithProduct[] = [];
    while (chosen.length < size && eligible.length > 0) {
      const [taken] = eligible.splice(Math.floor(rnd() * eligible.length), 1);
      if (taken) chosen.push(taken);
    }
    return chosen;
  };
  const hours = [7, 12, 17];
  const slot = (week: number) => {
    const day = Math.floor(rnd() * 7);
    const hour = hours[Math.floor(rnd() * hours.length)] ?? 7;
    return start + (week * 7 + day) * DAY_MS + hour * HOUR_MS;
  };
  const drafts: Array<Omit<SimCampaign, 'index'>> = [];
  for (let week = 0; week < weeks; week++) {
    const weekStart = start + week * 7 * DAY_MS;
    drafts.push({
      campaignId: `w${week}-weekly`,
      name: 'Veckans erbjudanden',
      at: weekStart + 7 * HOUR_MS,
      week,
      priority: 1,
      pool: pool([], 20),
    });
    drafts.push({
      campaignId: `w${week}-weekend`,
      name: 'Helgens erbjudanden',
      at: weekStart + 3 * DAY_MS + 7 * HOUR_MS,
      week,
      priority: 1,
      pool: pool(WEEKEND_CATEGORIES, 15),
    });
    const extras = 1 + (rnd() < 0.35 ? 1 : 0);
    for (const season of SEASONS.filter((s) => s.week === week)) {
      drafts.push({
        campaignId: `w${week}-season`,
        name: season.name,
        at: slot(week),
        week,
        priority: 2,
        pool: pool(season.categories, 18),
      });
    }
    for (let i = 0; i < extras && drafts.filter((d) => d.week === week).length < 5; i++) {
      const theme = THEMES[Math.floor(rnd() * THEMES.length)] ?? THEMES[0];
      if (!theme) break;
      drafts.push({
        campaignId: `w${week}-theme${i}`,
        name: theme.name,
        at: slot(week),
        week,
        priority: 1,
        pool: pool(theme.categories, 15),
      });
    }
  }
  drafts.sort((a, b) => a.at - b.at || a.campaignId.localeCompare(b.campaignId));
  return drafts.map((d, index) => ({ ...d, index }));
}
