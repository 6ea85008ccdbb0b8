/**
 * `npm run bench:exclusions`: are diet exclusions ever broken, and how well are restrictions inferred?
 *
 * On a catalog labelled from real Instacart product names and aisles, it generates seeded purchase
 * histories for diet personas (gluten-free, lactose-free, vegan, none), infers restrictions from
 * them with the product's own profile code, ranks a shared offer pool for every member, and counts:
 * - picks that conflict with the member's declared or inferred restrictions (must be 0);
 * - picks that conflict with the persona's true diet (what a missed inference would cost);
 * - precision and recall of the inference per restriction.
 */
import { performance } from 'node:perf_hooks';
import { random } from '../bin/demo-club.js';
import { conflictingTags, forbiddenTags, type Restriction } from '../lambdas/core/diet.js';
import type { OfferWithProduct } from '../lambdas/core/model.js';
import { rankOffers } from '../lambdas/core/offers.js';
import { buildProfile, effectiveRestrictions, type PurchaseLine } from '../lambdas/core/profile.js';
import { instacartDir, type LabelledProduct, loadInstacartCatalog } from './instacart-catalog.js';

type Persona = 'gluten-free' | 'lactose-free' | 'vegan' | 'none';
const TRUE_RESTRICTIONS: Record<Persona, Restriction[]> = {
  'gluten-free': ['gluten-free'],
  'lactose-free': ['lactose-free'],
  vegan: ['vegan'],
  none: [],
};
/** Only vegans declare their diet here; the others must be inferred from what they buy. */
const DECLARED: Record<Persona, Restriction[]> = { 'gluten-free': [], 'lactose-free': [], vegan: ['vegan'], none: [] };

const MEMBERS_PER_PERSONA = Number(process.env.MEMBERS_PER_PERSONA ?? 1000);
const SEED = Number(process.env.SEED ?? 2026);
const K = 10;
const POOL_SIZE = 2000;
const DAY = 86_400_000;

function main(): void {
  const started = performance.now();
  const catalog = loadInstacartCatalog();
  if (!catalog) {
    console.log(`skipped: Instacart products not found at ${instacartDir()} (set INSTACART_DIR)`);
    return;
  }
  const rnd = random(SEED);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(rnd() * items.length)];
    if (item === undefined) throw new Error('empty list');
    return item;
  };
  const byId = new Map(catalog.map((p) => [p.productId, p]));
  const now = new Date('2026-11-01T12:00:00Z');

  const allowed = (persona: Persona) => {
    const forbidden = forbiddenTags(TRUE_RESTRICTIONS[persona]);
    // A person with a diet buys what is labelled safe for it; everyone else buys anything.
    return catalog.filter((p) => conflictingTags(p, forbidden).length === 0);
  };
  // Staples that make a diet visible in a basket: free-from bread and pasta, lactose-free dairy.
  const staples: Record<Persona, LabelledProduct[]> = {
    'gluten-free': catalog.filter(
      (p) => p.contains.length === 0 && p.freeFrom.includes('gluten') && /gluten[- ]?free/i.test(p.name),
    ),
    'lactose-free': catalog.filter((p) => p.freeFrom.includes('lactose') && /lactose[- ]?free/i.test(p.name)),
    vegan: [],
    none: catalog.filter((p) => p.contains.includes('gluten') || p.contains.includes('lactose')),
  };

  const pool: OfferWithProduct[] = Array.from({ length: POOL_SIZE }, (_, i) => {
    const product = pick(catalog);
    return { offer: { offerId: `o${i}`, productId: product.productId, headline: 'offer' }, product };
  });

  const personas: Persona[] = ['gluten-free', 'lactose-free', 'vegan', 'none'];
  const counts = { members: 0, picks: 0, brokenSystem: 0, brokenTruth: 0, membersWithoutPicks: 0 };
  const inference = new Map<Restriction, { tp: number; fp: number; fn: number }>();
  for (const r of ['gluten-free', 'lactose-free'] as const) inference.set(r, { tp: 0, fp: 0, fn: 0 });
  const perPersona = new Map<Persona, { brokenTruth: number; members: number }>();

  for (const persona of personas) {
    const shelf = allowed(persona);
    const stats = { brokenTruth: 0, members: 0 };
    perPersona.set(persona, stats);
    for (let m = 0; m < MEMBERS_PER_PERSONA; m++) {
      const memberId = `${persona}-${m}`;
      const habits = Array.from({ length: 25 }, () => pick(shelf));
      const staple = staples[persona];
      if (staple.length > 0) habits.push(...Array.from({ length: 4 }, () => pick(staple)));
      const lines: PurchaseLine[] = [];
      const receipts = 4 + Math.floor(rnd() * 16);
      for (let r = 0; r < receipts; r++) {
        const at = new Date(now.getTime() - Math.floor(rnd() * 180) * DAY).toISOString();
        const size = 4 + Math.floor(rnd() * 12);
        for (let j = 0; j < size; j++) {
          const product = rnd() < 0.75 ? pick(habits) : pick(shelf);
          lines.push({ memberId, receiptId: `${memberId}-${r}`, at, productId: product.productId });
        }
      }
      const profile = buildProfile(lines, byId, now);
      const trulyForbidden = forbiddenTags(TRUE_RESTRICTIONS[persona]);
      // Vegans declare their diet, so the inference is judged on the members who must be inferred.
      for (const [restriction, score] of DECLARED[persona].length > 0 ? [] : inference) {
        // The truth is whether the persona's diet forbids what the restriction forbids.
        const truly = [...forbiddenTags([restriction])].every((tag) => trulyForbidden.has(tag));
        const inferred = profile.inferredRestrictions.includes(restriction);
        if (truly && inferred) score.tp += 1;
        else if (!truly && inferred) score.fp += 1;
        else if (truly && !inferred) score.fn += 1;
      }
      const restrictions = effectiveRestrictions(DECLARED[persona], profile.inferredRestrictions, []);
      const ranked = rankOffers({ profile, candidates: pool, restrictions, k: K });
      const systemForbidden = forbiddenTags(restrictions);
      const trueForbidden = forbiddenTags(TRUE_RESTRICTIONS[persona]);
      counts.members += 1;
      stats.members += 1;
      if (ranked.picks.length === 0) counts.membersWithoutPicks += 1;
      for (const pickItem of ranked.picks) {
        counts.picks += 1;
        const product = byId.get(pickItem.productId);
        if (!product) throw new Error(`picked an unknown product ${pickItem.productId}`);
        if (conflictingTags(product, systemForbidden).length > 0) counts.brokenSystem += 1;
        if (conflictingTags(product, trueForbidden).length > 0) {
          counts.brokenTruth += 1;
          stats.brokenTruth += 1;
        }
      }
    }
  }

  const seconds = (performance.now() - started) / 1000;
  const labelled = (tag: 'gluten' | 'lactose') => ({
    contains: catalog.filter((p) => p.contains.includes(tag)).length,
    free: catalog.filter((p) => p.freeFrom.includes(tag)).length,
  });
  console.log(`Catalog: ${catalog.length} food products from ${instacartDir()}`);
  console.log(
    `  gluten: ${labelled('gluten').contains} contain, ${labelled('gluten').free} free from, the rest unknown`,
  );
  console.log(
    `  lactose: ${labelled('lactose').contains} contain, ${labelled('lactose').free} free from, the rest unknown`,
  );
  console.log(
    `Members: ${counts.members} (${MEMBERS_PER_PERSONA} per persona), seed ${SEED}, pool ${POOL_SIZE} offers, k = ${K}\n`,
  );
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| offers picked | ${counts.picks} |`);
  console.log(`| picks breaking a declared or inferred restriction | ${counts.brokenSystem} |`);
  console.log(`| picks breaking the persona's true diet (missed inference) | ${counts.brokenTruth} |`);
  for (const [persona, stats] of perPersona) console.log(`| … of which ${persona} members | ${stats.brokenTruth} |`);
  console.log(`| members with no pick at all | ${counts.membersWithoutPicks} |`);
  for (const [restriction, s] of inference) {
    const precision = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
    const recall = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
    console.log(
      `| inference ${restriction}: precision / recall | ${precision.toFixed(3)} / ${recall.toFixed(3)} (tp ${s.tp}, fp ${s.fp}, fn ${s.fn}) |`,
    );
  }
  console.log(`| time | ${seconds.toFixed(1)} s |`);
  if (counts.brokenSystem > 0) process.exitCode = 1;
}

main();
