import type { Campaign, Club, Offer, Product } from '../core/model.js';
import type { Breaker } from '../core/send-protocol.js';
import type { Theme } from '../core/theme-library.js';
import type { Deps } from './deps.js';

/** A club with its catalog and own themes, as the send worker reads them. */
export interface CatalogEntry {
  readonly club: Club | undefined;
  readonly products: Map<string, Product>;
  readonly offers: Map<string, Offer>;
  readonly themes: Theme[];
}

/** Reads shared by the records of one batch, and the sends it counted. */
export interface BatchCache {
  readonly campaigns: Map<string, Promise<Campaign | undefined>>;
  readonly breakers: Map<string, Promise<{ account?: Breaker; club?: Breaker }>>;
  readonly clubs: Map<string, Promise<CatalogEntry>>;
  /** Sends counted per club and UTC day, added to the club's counters once per batch. */
  readonly sent: Map<string, { clubId: string; day: string; count: number }>;
}

export function newCatalogCache(): Map<string, Promise<CatalogEntry>> {
  return new Map();
}

export function newBatchCache(catalogs: Map<string, Promise<CatalogEntry>> = new Map()): BatchCache {
  return { campaigns: new Map(), breakers: new Map(), clubs: catalogs, sent: new Map() };
}

/** Count one send toward the club's counter of the UTC day; flushBatch writes it. */
export function countSend(cache: BatchCache, clubId: string, now: Date): void {
  const day = now.toISOString().slice(0, 10);
  const key = `${clubId}|${day}`;
  const entry = cache.sent.get(key) ?? { clubId, day, count: 0 };
  entry.count += 1;
  cache.sent.set(key, entry);
}

/** Add the batch's sends to the club counters: one write per club and batch, not per mail. */
export async function flushBatch(deps: Pick<Deps, 'deliveryStats'>, cache: BatchCache): Promise<void> {
  await Promise.all(
    [...cache.sent.values()].map((c) => deps.deliveryStats.add(c.clubId, c.day, undefined, { sent: c.count })),
  );
  cache.sent.clear();
}

export async function loadCatalog(deps: Pick<Deps, 'clubs'>, clubId: string): Promise<CatalogEntry> {
  const [club, { products, offers }, themes] = await Promise.all([
    deps.clubs.getClub(clubId),
    deps.clubs.getCatalog(clubId),
    deps.clubs.listThemes(clubId),
  ]);
  return {
    club,
    products: new Map(products.map((p) => [p.productId, p])),
    offers: new Map(offers.map((o) => [o.offerId, o])),
    themes,
  };
}

/** The promise under `key`, loaded once: concurrent records of a batch share one read. */
export function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = map.get(key);
  if (hit) return hit;
  const promise = load();
  map.set(key, promise);
  return promise;
}
