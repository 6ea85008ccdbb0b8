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
import { indexCatalog } from '../lambdas/core/catalog-index.js';
import { conflictingTags, forbiddenTags, type Restriction } from '../lambdas/core/diet.js';
import type { OfferWithProduct } from '../lambdas/core/model.js';
import { rankOffers } from '../lambdas/core/offers.js';
import { buildProfile, effectiveRestrictions, type PurchaseLine } from '../lambdas/core/profile.js';
import { containsOnly, instacartDir, type LabelledProduct, loadInstacartCatalog } from './instacart-catalog.js';

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
  const claims = loadInstacartCatalog();
  if (!claims) {
    console.log(`skipped: Instacart products not found at ${instacartDir()} (set INSTACART_DIR)`);
    return;
  }
  // Staples that make a diet visible in a basket, picked by name and aisle (the same products in both labellings).
  const stapleIds: Record<Persona, Set<string>> = {
    'gluten-free': new Set(
      claims
        .filter((p) => p.contains.length === 0 && p.freeFrom.includes('gluten') && /gluten[- ]?free/i.test(p.name))
        .map((p) => p.productId),
    ),
    'lactose-free': new Set(
      claims.filter((p) => p.freeFrom.includes('lactose') && /lactose[- ]?free/i.test(p.name)).map((p) => p.productId),
    ),
    vegan: new Set(),
    none: new Set(
      claims.filter((p) => p.contains.includes('gluten') || p.contains.includes('lactose')).map((p) => p.productId),
    ),
  };
  console.log(`Catalog: ${claims.length} food products from ${instacartDir()}`);
  console.log(
    `Members: ${MEMBERS_PER_PERSONA * 4} (${MEMBERS_PER_PERSONA} per persona), seed ${SEED}, pool ${POOL_SIZE} offers, k = ${K}`,
  );
  runVariant('as labelled from names and aisles (contains and free-from claims; the rest unknown)', claims, stapleIds);
  runVariant(
    'contains only, declared (what retailers send: every tag not contained is absent)',
    containsOnly(claims),
    stapleIds,
  );
  console.log(`\ntime: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function runVariant(title: string, catalog: readonly LabelledProduct[], stapleIds: Record<Persona, Set<string>>): void {
  const rnd = random(SEED);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(rnd() * items.length)];
    if (item === undefined) throw new Error('empty list');
    return item;
  };
  const byId = new Map(catalog.map((p) => [p.productId, p]));
  const index = indexCatalog(byId);
  const now = new Date('2026-11-01T12:00:00Z');

  const allowed = (persona: Persona) => {
    const forbidden = forbiddenTags(TRUE_RESTRICTIONS[persona]);
    // A person with a diet buys what is labelled safe for it; everyone else buys anything.
    return catalog.filter((p) => conflictingTags(p, forbidden).length === 0);
  };
  const staples = (persona: Persona) => catalog.filter((p) => stapleIds[persona].has(p.productId));

  const pool: OfferWithProduct[] = Array.from({ length: POOL_SIZE }, (_, i) => {
    const product = pick(catalog);
    return { offer: { offerId: `o${i}`, productId: product.productId, headline: 'offer' }, product };
  });

  const personas: Persona[] = ['gluten-free', 'lactose-free', 'vegan', 'none'];
  const counts = { members: 0, picks: 0, brokenSystem: 0, brokenTruth: 0, membersWithoutPicks: 0 };
  const inference = new Map<Restriction, { tp: number; fp: number; fn: number }>();
  for (const r of ['gluten-free', 'lactose-free'] as const) inference.set(r, { tp: 0, fp: 0, fn: 0 });
  const perPersona = new Map<Persona, { brokenTruth: number; members: number }>();
  // Members with a declared or inferred restriction, and the others: k picks, a pick in a top-3 category, diet choices.
  const groups = {
    restricted: { members: 0, full: 0, top3: 0, dietChoices: 0 },
    others: { members: 0, full: 0, top3: 0, dietChoices: 0 },
  };

  for (const persona of personas) {
    const shelf = allowed(persona);
    const staple = staples(persona);
    const stats = { brokenTruth: 0, members: 0 };
    perPersona.set(persona, stats);
    for (let m = 0; m < MEMBERS_PER_PERSONA; m++) {
      const memberId = `${persona}-${m}`;
      const habits = Array.from({ length: 25 }, () => pick(shelf));
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
      const profile = buildProfile(lines, index, now);
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
      const ranked = rankOffers({ profile, candidates: pool, restrictions, k: K, catalog: index });
      const systemForbidden = forbiddenTags(restrictions);
      const trueForbidden = forbiddenTags(TRUE_RESTRICTIONS[persona]);
      counts.members += 1;
      stats.members += 1;
      if (ranked.picks.length === 0) counts.membersWithoutPicks += 1;
      const top3 = new Set(
        Object.entries(profile.categories)
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, 3)
          .map(([category]) => category),
      );
      const group = restrictions.length > 0 ? groups.restricted : groups.others;
      group.members += 1;
      if (ranked.picks.length >= K) group.full += 1;
      if (ranked.picks.some((p) => top3.has(byId.get(p.productId)?.category ?? ''))) group.top3 += 1;
      if (ranked.picks.some((p) => p.why === 'diet-choice')) group.dietChoices += 1;
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

  const labelled = (tag: 'gluten' | 'lactose') => ({
    contains: catalog.filter((p) => p.contains.includes(tag)).length,
    free: catalog.filter((p) => conflictingTags(p, new Set([tag])).length === 0).length,
  });
  const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`;
  console.log(`\n### Labelling: ${title}\n`);
  for (const tag of ['gluten', 'lactose'] as const) {
    const l = labelled(tag);
    console.log(
      `${tag}: ${l.contains} contain, ${l.free} free from it, ${catalog.length - l.contains - l.free} unknown`,
    );
  }
  console.log('\n| measure | value |');
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
  console.log('\n| members | count | with k picks | a pick in one of their top-3 categories | with a diet choice |');
  console.log('|---|---|---|---|---|');
  for (const [name, g] of [
    ['restricted (declared or inferred)', groups.restricted],
    ['without restrictions', groups.others],
  ] as const) {
    console.log(
      `| ${name} | ${g.members} | ${pct(g.full, g.members)} | ${pct(g.top3, g.members)} | ${pct(g.dietChoices, g.members)} |`,
    );
  }
  if (counts.brokenSystem > 0) process.exitCode = 1;
}

main();
