/**
 * Phrasing what is wrong with a field of an imported file, for people: `purchased_at: expected an
 * ISO 8601 date-time with offset, got "yesterday"`. Shared by the purchase and member file readers.
 */
import type { z } from 'zod';

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  object: 'an object',
  array: 'a list',
};

/** Short messages for the issues that `Id` leaves to zod's defaults. Schema-level messages win. */
export const messages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
  if (issue.code === 'too_big' && issue.origin === 'string')
    return `is longer than ${String(issue.maximum)} characters`;
  if (issue.code === 'too_small' && issue.origin === 'string')
    return `is shorter than ${String(issue.minimum)} characters`;
  return undefined;
};

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return value.length === 1 ? '1 item' : `${value.length} items`;
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = Reflect.get(value, key);
  }
  return value;
}

export function fieldName(path: readonly PropertyKey[]): string {
  let name = '';
  for (const key of path) {
    if (typeof key === 'number') name += `[${key}]`;
    else name += name === '' ? String(key) : `.${String(key)}`;
  }
  return name;
}

/** What is wrong with the value an issue points at, phrased for people. */
export function explain(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined) return 'is missing';
  if (value === '') return 'is empty';
  return `${issue.message}, got ${show(value)}`;
}

export function describe(issue: z.core.$ZodIssue, input: unknown): { field: string; message: string } {
  return { field: fieldName(issue.path), message: explain(issue, valueAt(input, issue.path)) };
}
