import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { profileAttributes, profileOfItem } from '../../lambdas/adapters/dynamodb-profile-item.js';
import { buildProfile, EMPTY_PROFILE, type PurchaseProfile } from '../../lambdas/core/profile.js';
import { CATALOG, CATALOG_MAP, NOW } from './fixtures.js';

const PRODUCTS = [...Object.values(CATALOG).map((p) => p.productId), 'unknown-1', 'unknown-2'];
const OFFSETS = ['Z', '+01:00', '-05:30', '.5Z', '.123Z'];

/** Purchase lines over a year before NOW, with times written the ways receipts write them. */
const lines = fc.array(
  fc.record({
    receipt: fc.integer({ min: 0, max: 30 }),
    product: fc.constantFrom(...PRODUCTS),
    minutesAgo: fc.integer({ min: 0, max: 365 * 24 * 60 }),
    offset: fc.constantFrom(...OFFSETS),
  }),
  { maxLength: 60 },
);

/** A time to the second with the given ending: a zone, an offset, or fractions of a second then Z. */
const isoWith = (ms: number, ending: string) => `${new Date(ms).toISOString().slice(0, 19)}${ending}`;

/** The item as DynamoDB gives it back: JSON-like values (the document client's numbers and lists). */
const stored = (profile: PurchaseProfile) =>
  JSON.parse(JSON.stringify({ pk: 'MEMBER#c#m', sk: 'PROFILE', type: 'profile', ...profileAttributes(profile) }));

describe('the stored form of a purchase profile', () => {
  it('reads back exactly the profile that was written, for any purchases and any way of writing their times', () => {
    fc.assert(
      fc.property(lines, (drawn) => {
        const profile = buildProfile(
          drawn.map((d) => ({
            memberId: 'm1',
            receiptId: `r${d.receipt}`,
            at: isoWith(NOW.getTime() - d.minutesAgo * 60_000, d.offset),
            productId: d.product,
          })),
          CATALOG_MAP,
          NOW,
        );
        expect(profileOfItem(stored(profile))).toEqual(profile);
      }),
      { numRuns: 200 },
    );
    expect(profileOfItem(stored(EMPTY_PROFILE))).toEqual(EMPTY_PROFILE);
  });

  it('reads a profile stored before, with its products as maps, as it was', () => {
    const profile = buildProfile(
      [
        { memberId: 'm1', receiptId: 'r1', at: '2026-02-01T09:30:00+01:00', productId: CATALOG.spaghetti.productId },
        { memberId: 'm1', receiptId: 'r2', at: '2026-02-11T09:30:00.000Z', productId: CATALOG.spaghetti.productId },
      ],
      CATALOG_MAP,
      NOW,
    );
    const before = JSON.parse(JSON.stringify({ pk: 'MEMBER#c#m', sk: 'PROFILE', type: 'profile', ...profile }));
    expect(profileOfItem(before)).toEqual(profile);
  });

  it('stores the per-product statistics in well under half the bytes, so a partition read costs fewer units', () => {
    const history = Array.from({ length: 40 }, (_, i) => ({
      memberId: 'm1',
      receiptId: `r${i % 12}`,
      at: new Date(NOW.getTime() - (i % 12) * 7 * 86_400_000).toISOString(),
      productId: PRODUCTS[i % PRODUCTS.length] ?? 'x',
    }));
    const profile = buildProfile(history, CATALOG_MAP, NOW);
    const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
    expect(bytes(profileAttributes(profile).pp)).toBeLessThan(bytes(profile.products) / 2);
  });

  it('names the product whose stored statistics are broken, rather than reading a wrong profile', () => {
    const item = stored(buildProfile([], CATALOG_MAP, NOW));
    item.pp = { spaghetti: ['three', 1_700_000_000_000] };
    expect(() => profileOfItem(item)).toThrow(/spaghetti/);
  });
});
