import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DietTag, DietTag as DietTagSchema } from '../lambdas/core/diet.js';
import type { Product } from '../lambdas/core/model.js';

/**
 * A diet-labelled catalog built from the real Instacart product names and aisles
 * (../shared/data/instacart-products; never copied into the repo). The labels come from names
 * and aisles with simple, visible rules; where the rules cannot tell, a tag stays unknown, and
 * unknown counts as a conflict for a member with that restriction.
 */
export interface LabelledProduct extends Product {
  readonly aisle: string;
  readonly department: string;
}

const GLUTEN_AISLES = new Set([
  'bread',
  'buns rolls',
  'dry pasta',
  'fresh pasta',
  'cereal',
  'crackers',
  'cookies cakes',
  'breakfast bakery',
  'tortillas flat bread',
  'frozen pizza',
  'frozen breads doughs',
  'beers coolers',
  'hot cereal pancake mixes',
  'doughs gelatins bake mixes',
  'breakfast bars pastries',
  'bakery desserts',
  'granola',
  'energy granola bars',
  'instant foods',
]);
const DAIRY_AISLES = new Set([
  'milk',
  'yogurt',
  'packaged cheese',
  'specialty cheeses',
  'butter',
  'cream',
  'other creams cheeses',
  'ice cream ice',
  'refrigerated pudding desserts',
]);
const MEAT_AISLES = new Set([
  'packaged meat',
  'lunch meat',
  'hot dogs bacon sausage',
  'poultry counter',
  'packaged poultry',
  'meat counter',
  'frozen meat seafood',
  'canned meat seafood',
  'seafood counter',
  'packaged seafood',
]);
/** Aisles whose products are plain produce, water or drinks: free from every tag we track except as named. */
const PLAIN_AISLES = new Set([
  'fresh fruits',
  'fresh vegetables',
  'packaged vegetables fruits',
  'fresh herbs',
  'packaged produce',
  'frozen produce',
  'water seltzer sparkling water',
  'juice nectars',
  'coffee',
  'tea',
  'soft drinks',
]);
const NON_FOOD_DEPARTMENTS = new Set(['pets', 'personal care', 'household', 'babies', 'missing', 'other']);

const GLUTEN_FREE = /gluten[- ]?free/i;
const LACTOSE_FREE = /lactose[- ]?free/i;
const PLANT_BASED =
  /\b(vegan|dairy[- ]?free|non[- ]?dairy|plant[- ]based)\b|\b(almond|oat|soy|coconut|rice|cashew)(milk| milk| beverage| drink| yogurt| cheese)/i;
const FISH = /\b(salmon|tuna|shrimp|cod|tilapia|fish|crab|lobster|scallops?|anchov\w*|sardines?|halibut|trout|mahi)\b/i;
const PORK = /\b(pork|bacon|ham|prosciutto|salami|pepperoni|chorizo|pancetta)\b|\bsausage/i;
const NOT_PORK = /\b(chicken|turkey|beef|vegan|vegetarian|plant)\b/i;
const NUTS = /\b(almonds?|peanuts?|cashews?|walnuts?|pecans?|hazelnuts?|pistachios?|macadamia|nut butter|nuts)\b/i;
const NUT_FREE = /nut[- ]?free/i;
const NON_ALCOHOLIC = /non[- ]?alcoholic|alcohol[- ]?free/i;

type Status = 'contains' | 'free' | 'unknown';

function label(name: string, aisle: string, department: string): Record<DietTag, Status> {
  const plain = PLAIN_AISLES.has(aisle);
  const plant = PLANT_BASED.test(name);
  const meatAisle = MEAT_AISLES.has(aisle) || department === 'meat seafood';
  const gluten: Status = GLUTEN_FREE.test(name)
    ? 'free'
    : GLUTEN_AISLES.has(aisle)
      ? 'contains'
      : plain || DAIRY_AISLES.has(aisle) || meatAisle
        ? 'free'
        : 'unknown';
  let lactose: Status = 'unknown';
  let dairy: Status = 'unknown';
  if (plant) {
    lactose = 'free';
    dairy = 'free';
  } else if (DAIRY_AISLES.has(aisle)) {
    dairy = 'contains';
    lactose = LACTOSE_FREE.test(name) ? 'free' : 'contains';
  } else if (aisle === 'soy lactosefree') {
    lactose = 'free';
    dairy = LACTOSE_FREE.test(name) ? 'contains' : 'unknown';
  } else if (plain || meatAisle || department === 'alcohol') {
    lactose = 'free';
    dairy = 'free';
  }
  const egg: Status =
    aisle === 'eggs' ? 'contains' : plant || plain || meatAisle || department === 'alcohol' ? 'free' : 'unknown';
  let meat: Status = 'unknown';
  let pork: Status = 'unknown';
  let fish: Status = 'unknown';
  if (meatAisle && !plant) {
    const isFish = FISH.test(name) || aisle === 'seafood counter' || aisle === 'packaged seafood';
    fish = isFish ? 'contains' : 'free';
    meat = isFish ? 'free' : 'contains';
    pork = !isFish && PORK.test(name) && !NOT_PORK.test(name) ? 'contains' : isFish ? 'free' : 'unknown';
  } else if (
    plant ||
    plain ||
    aisle === 'tofu meat alternatives' ||
    aisle === 'frozen vegan vegetarian' ||
    DAIRY_AISLES.has(aisle) ||
    aisle === 'eggs' ||
    department === 'alcohol'
  ) {
    meat = 'free';
    pork = 'free';
    fish = 'free';
  }
  const alcohol: Status = department === 'alcohol' ? (NON_ALCOHOLIC.test(name) ? 'free' : 'contains') : 'free';
  const nuts: Status = NUT_FREE.test(name)
    ? 'free'
    : NUTS.test(name) || aisle === 'nuts seeds dried fruit' || aisle === 'trail mix snack mix'
      ? 'contains'
      : plain || meatAisle || aisle === 'eggs'
        ? 'free'
        : 'unknown';
  return { gluten, lactose, dairy, egg, meat, pork, fish, alcohol, nuts };
}

export function instacartDir(): string {
  return process.env.INSTACART_DIR ?? join(import.meta.dirname, '..', '..', 'shared', 'data', 'instacart-products');
}

/**
 * The catalog as a retailer's product data has it: what each product contains and nothing else
 * (no free-from claims, no unknowns), which the labelling model reads as declared.
 */
export function containsOnly(catalog: readonly LabelledProduct[]): LabelledProduct[] {
  return catalog.map((p) => ({ ...p, freeFrom: [], labelling: 'declared' }));
}

/** Quoted-CSV rows of a small, well-formed file. */
function rows(file: string): string[][] {
  const out: string[][] = [];
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    if (!line.trim()) continue;
    const fields: string[] = [];
    let current = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          current += '"';
          i++;
        } else if (c === '"') quoted = false;
        else current += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        fields.push(current);
        current = '';
      } else current += c;
    }
    fields.push(current.replace(/\r$/, ''));
    out.push(fields);
  }
  return out;
}

/**
 * The labelled food catalog, or undefined when the data is not on this machine. With `nonFood`, the
 * products of the non-food departments (pets, personal care, household, babies, other, missing) are
 * included too, containing nothing and free from everything, as a retailer declares them.
 */
export function loadInstacartCatalog(
  dir = instacartDir(),
  options: { readonly nonFood?: boolean } = {},
): LabelledProduct[] | undefined {
  if (!existsSync(join(dir, 'products.csv'))) return undefined;
  const aisles = new Map(rows(join(dir, 'aisles.csv')).map(([id, name]) => [id ?? '', name ?? '']));
  const departments = new Map(rows(join(dir, 'departments.csv')).map(([id, name]) => [id ?? '', name ?? '']));
  const catalog: LabelledProduct[] = [];
  for (const [productId, name, aisleId, departmentId] of rows(join(dir, 'products.csv'))) {
    if (!productId || !name) continue;
    const aisle = aisles.get(aisleId ?? '') ?? 'missing';
    const department = departments.get(departmentId ?? '') ?? 'missing';
    if (NON_FOOD_DEPARTMENTS.has(department)) {
      if (options.nonFood) {
        const freeFrom = [...DietTagSchema.options];
        catalog.push({ productId: `i${productId}`, name, category: aisle, contains: [], freeFrom, aisle, department });
      }
      continue;
    }
    const labels = label(name, aisle, department);
    const contains = DietTagSchema.options.filter((t) => labels[t] === 'contains');
    const freeFrom = DietTagSchema.options.filter((t) => labels[t] === 'free');
    catalog.push({ productId: `i${productId}`, name, category: aisle, contains, freeFrom, aisle, department });
  }
  return catalog;
}
