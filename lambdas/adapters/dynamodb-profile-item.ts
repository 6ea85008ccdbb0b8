import { z } from 'zod';
import { PurchaseProfile } from '../core/profile.js';

/**
 * A purchase profile as the member partition stores it (docs/decisions/0057-compact-profile-items.md).
 * The planner reads each member's partition with one Query, charged half a read unit per 4 KB, and the
 * per-product statistics were two thirds of a profile: six attribute names and two ISO timestamps per
 * product. They are stored as one list per product under `pp`, `[count, lastAt, firstAt, weight,
 * cycleDays, basketShare]`, each time as epoch milliseconds when that gives back the very same string
 * (else the string), a missing value as null and trailing ones left out. A profile stored before has
 * `products` instead, and is read as it was; the next write stores it compactly.
 */

const Moment = z.union([z.number(), z.string()]);
const Stored = z.tuple([z.number(), Moment], z.union([z.number(), z.string(), z.null()]));

type Stats = PurchaseProfile['products'][string];

/** An ISO time as epoch ms when that round-trips exactly, so the profile reads back unchanged. */
function moment(iso: string): number | string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? ms : iso;
}

const isoOf = (value: number | string | null | undefined) =>
  typeof value === 'number' ? new Date(value).toISOString() : (value ?? undefined);

function encode(stats: Stats): Array<number | string | null> {
  const list: Array<number | string | null> = [
    stats.count,
    moment(stats.lastAt),
    stats.firstAt === undefined ? null : moment(stats.firstAt),
    stats.weight ?? null,
    stats.cycleDays ?? null,
    stats.basketShare ?? null,
  ];
  while (list.length > 2 && list.at(-1) === null) list.pop();
  return list;
}

function decode(stored: z.infer<typeof Stored>): Record<string, unknown> {
  const [count, lastAt, firstAt, weight, cycleDays, basketShare] = stored;
  const optional = (name: string, value: unknown) => (value === null || value === undefined ? {} : { [name]: value });
  return {
    count,
    lastAt: isoOf(lastAt),
    ...optional('firstAt', isoOf(firstAt)),
    ...optional('weight', weight),
    ...optional('cycleDays', cycleDays),
    ...optional('basketShare', basketShare),
  };
}

/** The profile's attributes as stored (without keys): products compacted under `pp`. */
export function profileAttributes(profile: PurchaseProfile): Record<string, unknown> {
  const { products, ...rest } = profile;
  return { ...rest, pp: Object.fromEntries(Object.entries(products).map(([id, stats]) => [id, encode(stats)])) };
}

/** A stored profile item, compact or as stored before, checked as a PurchaseProfile. */
export function profileOfItem(item: Record<string, unknown>): PurchaseProfile {
  const { pp, products, ...rest } = item;
  if (pp === undefined) return PurchaseProfile.parse({ ...rest, products });
  const stored = z.record(z.string(), Stored).parse(pp);
  const decoded = Object.fromEntries(Object.entries(stored).map(([id, list]) => [id, decode(list)]));
  return PurchaseProfile.parse({ ...rest, products: decoded });
}
