import { ClubPlannerError } from './errors.js';

/** Time units and small numeric helpers the whole domain shares, defined once. */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Three decimals: what scores and shares are reported with. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The compile-time proof that a switch covers every case; throws if a value slips through at run time. */
export function assertNever(value: never): never {
  throw new ClubPlannerError(`unexpected value: ${JSON.stringify(value)}`);
}
