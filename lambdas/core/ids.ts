import { z } from 'zod';

/** Names that would reach Object.prototype when used as a key in a plain object. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const notReserved = (value: string) => !RESERVED_KEYS.has(value);

/** Ids are URL- and key-safe: they end up in DynamoDB keys, object keys, tokens and schedule names. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'use only letters, digits, "-" and "_"')
  .refine(notReserved, 'is a reserved name');

/** A product category: free text, but usable as an object key. */
export const Category = z.string().min(1).max(80).refine(notReserved, 'is a reserved name');
