import { randomUUID } from 'node:crypto';

/** A fresh id per test (tests never clean tables; they use ids nobody else has). */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
