/**
 * A club's own member attributes (home store, region, household size, loyalty tier): declared with a
 * type in the club's settings, filled by the member import (club-owned, docs/decisions/0020-member-sync.md),
 * read by audience rules (docs/decisions/0039-audiences.md). Pure.
 */
import { z } from 'zod';
import { Restriction } from './diet.js';

/** How many attributes a club may declare, and the longest text or enum value one may hold. */
export const MAX_ATTRIBUTES = 50;
export const MAX_TEXT_VALUE = 200;
export const MAX_ENUM_VALUES = 200;

/**
 * Words that name a diet, an allergy or a restriction. Diet restrictions protect members: they are
 * never an attribute or an audience rule, so no one can aim marketing at them (README "Audiences").
 */
const DIET_WORDS = [
  'diet',
  'dietary',
  'restriction',
  'restrictions',
  'allergy',
  'allergies',
  'allergen',
  'allergens',
  'intolerance',
  'intolerant',
  'gluten',
  'lactose',
  'coeliac',
  'celiac',
  'vegan',
  'vegetarian',
  'halal',
  'kosher',
  ...Restriction.options.flatMap((r) => r.split('-')).filter((w) => w !== 'free'),
];
const DIET_PATTERN = new RegExp(`(^|[^a-z])(${[...new Set(DIET_WORDS)].join('|')})`, 'i');

/** Whether a name (an attribute, a rule, a field) refers to diets or restrictions. */
export function namesDiet(name: string): boolean {
  return DIET_PATTERN.test(name.replace(/([a-z])([A-Z])/g, '$1_$2'));
}

export const DIET_REFUSAL =
  'diet restrictions are never an audience rule: they protect members and must not be used to target them';

/** An attribute's name: lower case, digits and "_", starting with a letter (a CSV column is `attr.<name>`). */
export const AttributeName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'use 1–40 lower-case letters, digits or "_", starting with a letter')
  .refine((name) => !namesDiet(name), DIET_REFUSAL);

export const AttributeType = z.enum(['string', 'number', 'date', 'boolean', 'enum']);
export type AttributeType = z.infer<typeof AttributeType>;

const EnumValue = z.string().min(1).max(MAX_TEXT_VALUE);

/** One declared attribute. An `enum` lists its values. */
export const AttributeDeclaration = z
  .object({
    name: AttributeName,
    type: AttributeType,
    values: z.array(EnumValue).min(1).max(MAX_ENUM_VALUES).optional(),
    description: z.string().max(300).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.type === 'enum' && !d.values)
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'an enum lists its values' });
    if (d.type !== 'enum' && d.values)
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'only an enum lists values' });
  });
export type AttributeDeclaration = z.infer<typeof AttributeDeclaration>;

/** The club's declarations, names unique. */
export const AttributeDeclarations = z
  .array(AttributeDeclaration)
  .max(MAX_ATTRIBUTES)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const [index, d] of list.entries()) {
      if (seen.has(d.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `repeats ${d.name}` });
      seen.add(d.name);
    }
  });

/** A stored value: text (string, enum, a date as YYYY-MM-DD), a number or a boolean. */
export const AttributeValue = z.union([z.string().max(MAX_TEXT_VALUE), z.number(), z.boolean()]);
export type AttributeValue = z.infer<typeof AttributeValue>;

/** The values a member carries, by attribute name. */
export const AttributeValues = z.record(z.string(), AttributeValue);
export type AttributeValues = z.infer<typeof AttributeValues>;

/** What an import may send: a value, or `null` to clear it. Absent names are left as they are. */
export const AttributeInput = z.record(z.string(), AttributeValue.nullable());
export type AttributeInput = z.infer<typeof AttributeInput>;

/** The schema a declared attribute's value must pass. */
export function valueSchema(declaration: AttributeDeclaration): z.ZodType<AttributeValue> {
  switch (declaration.type) {
    case 'string':
      return z.string({ error: 'expected text' }).min(1).max(MAX_TEXT_VALUE);
    case 'number':
      return z.number({ error: 'expected a number' }).refine(Number.isFinite, 'expected a finite number');
    case 'date':
      return z.iso.date({ error: 'expected a date as YYYY-MM-DD' });
    case 'boolean':
      return z.boolean({ error: 'expected true or false' });
    case 'enum': {
      const values = declaration.values ?? [];
      return z
        .string({ error: `expected one of ${values.join(', ')}` })
        .refine((v) => values.includes(v), `expected one of ${values.join(', ')}`);
    }
  }
}

/** Why an attribute of a member was refused: the attribute's name and what is wrong. */
export interface AttributeProblem {
  readonly name: string;
  readonly message: string;
}

/**
 * Check a member's attributes against the club's declarations: the first unknown name or value of the
 * wrong type. `null` (clear the value) passes for any declared attribute.
 */
export function attributeProblem(
  declarations: readonly AttributeDeclaration[],
  input: Readonly<Record<string, AttributeValue | null>>,
): AttributeProblem | undefined {
  for (const [name, value] of Object.entries(input)) {
    const declaration = declarations.find((d) => d.name === name);
    if (!declaration) {
      const known = declarations.map((d) => d.name).join(', ') || 'none';
      return {
        name,
        message: namesDiet(name) ? DIET_REFUSAL : `is not an attribute the club declared (declared: ${known})`,
      };
    }
    if (value === null) continue;
    const parsed = valueSchema(declaration).safeParse(value);
    if (!parsed.success) return { name, message: parsed.error.issues[0]?.message ?? 'is not valid' };
  }
  return undefined;
}

/** The stored values after an import: the record's values replace, `null` clears, absent names stay. */
export function mergeAttributes(
  stored: Readonly<AttributeValues> | undefined,
  input: Readonly<AttributeInput> | undefined,
): AttributeValues | undefined {
  if (!input) return stored ? { ...stored } : undefined;
  const merged: AttributeValues = { ...(stored ?? {}) };
  for (const [name, value] of Object.entries(input)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/** Whether two sets of values are the same. */
export function sameAttributes(a: Readonly<AttributeValues> | undefined, b: Readonly<AttributeValues> | undefined) {
  const x = Object.entries(a ?? {});
  const y = b ?? {};
  return x.length === Object.keys(y).length && x.every(([k, v]) => Object.hasOwn(y, k) && y[k] === v);
}

/** A declared attribute's value as a member carries it, or undefined when absent or of the wrong type now. */
export function attributeOf(
  declaration: AttributeDeclaration,
  values: Readonly<AttributeValues> | undefined,
): AttributeValue | undefined {
  if (!values || !Object.hasOwn(values, declaration.name)) return undefined;
  const value = values[declaration.name];
  switch (declaration.type) {
    case 'number':
      return typeof value === 'number' ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'enum':
      return typeof value === 'string' && (declaration.values ?? []).includes(value) ? value : undefined;
  }
}

const YES = new Set(['true', 'yes', 'ja', '1', 'y']);
const NO = new Set(['false', 'no', 'nej', '0', 'n']);
const NUMBER_TEXT = /^-?\d+([.,]\d+)?$/;

/** A CSV cell as a declared attribute's value: numbers and yes/no are read from the text, the rest stays text. */
export function attributeFromText(declaration: AttributeDeclaration, text: string): AttributeValue {
  const cell = text.trim();
  if (declaration.type === 'number' && NUMBER_TEXT.test(cell)) return Number(cell.replace(',', '.'));
  if (declaration.type === 'boolean') {
    const flag = cell.toLowerCase();
    if (YES.has(flag)) return true;
    if (NO.has(flag)) return false;
  }
  return cell;
}

/** A member record whose attributes were refused: its position, id, the field and why. */
export interface AttributeRejection {
  readonly index: number;
  readonly memberId: string;
  readonly field: string;
  readonly message: string;
}

/**
 * Split records into those whose attributes fit the club's declarations (with CSV text read as the
 * declared type when `fromText`) and those refused, each naming the member and the attribute.
 */
export function screenAttributes<
  R extends { readonly memberId: string; readonly attributes?: AttributeInput | undefined },
>(
  declarations: readonly AttributeDeclaration[],
  records: readonly R[],
  fromText = false,
): { valid: R[]; rejected: AttributeRejection[] } {
  const valid: R[] = [];
  const rejected: AttributeRejection[] = [];
  records.forEach((record, index) => {
    if (!record.attributes) {
      valid.push(record);
      return;
    }
    let input: AttributeInput = record.attributes;
    if (fromText) {
      input = {};
      for (const [name, value] of Object.entries(record.attributes)) {
        const declaration = declarations.find((d) => d.name === name);
        input[name] = declaration && typeof value === 'string' ? attributeFromText(declaration, value) : value;
      }
    }
    const problem = attributeProblem(declarations, input);
    if (problem)
      rejected.push({
        index,
        memberId: record.memberId,
        field: `attributes.${problem.name}`,
        message: problem.message,
      });
    else valid.push({ ...record, attributes: input });
  });
  return { valid, rejected };
}
