import { SavedAudience } from '../../core/audience.js';
import { Club, Offer, Product } from '../../core/model.js';
import type { ClubStore } from '../../core/ports.js';
import { Theme } from '../../core/theme-library.js';
import { copy, keyOf, MemoryTable } from './memory-table.js';

/** Clubs, their catalogs, themes and saved audiences in Maps: the in-memory twin of DynamoDbClubStore. */
export class MemoryClubStore implements ClubStore {
  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async putClub(club: Club): Promise<void> {
    this.table.clubs.set(club.clubId, Club.parse(club));
  }

  async createClub(club: Club): Promise<'created' | 'exists'> {
    if (this.table.clubs.has(club.clubId)) return 'exists';
    this.table.clubs.set(club.clubId, Club.parse(club));
    return 'created';
  }

  async getClub(clubId: string): Promise<Club | undefined> {
    const club = this.table.clubs.get(clubId);
    return club && copy(club);
  }

  async putProducts(clubId: string, products: readonly Product[]): Promise<void> {
    for (const p of products) this.table.products.set(keyOf(clubId, p.productId), Product.parse(p));
  }

  async putOffers(clubId: string, offers: readonly Offer[]): Promise<void> {
    for (const o of offers) this.table.offers.set(keyOf(clubId, o.offerId), Offer.parse(o));
  }

  async getCatalog(clubId: string): Promise<{ products: Product[]; offers: Offer[] }> {
    const byId = <T>(items: T[], id: (item: T) => string) => items.sort((a, b) => (id(a) < id(b) ? -1 : 1));
    return {
      products: byId(copy(MemoryTable.under(this.table.products, clubId)), (p) => p.productId),
      offers: byId(copy(MemoryTable.under(this.table.offers, clubId)), (o) => o.offerId),
    };
  }

  async putTheme(clubId: string, theme: Theme): Promise<void> {
    this.table.themes.set(keyOf(clubId, theme.id), Theme.parse(theme));
  }

  async listThemes(clubId: string): Promise<Theme[]> {
    return copy(MemoryTable.under(this.table.themes, clubId)).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async putAudience(audience: SavedAudience): Promise<void> {
    this.table.audiences.set(keyOf(audience.clubId, audience.audienceId), SavedAudience.parse(audience));
  }

  /** In id order, as the table's sort key has them. */
  async listAudiences(clubId: string): Promise<SavedAudience[]> {
    return copy(MemoryTable.under(this.table.audiences, clubId)).sort((a, b) => (a.audienceId < b.audienceId ? -1 : 1));
  }

  async deleteAudience(clubId: string, audienceId: string): Promise<void> {
    this.table.audiences.delete(keyOf(clubId, audienceId));
  }
}
