import { ClubModel } from '../../core/club-model.js';
import type { ModelStore } from '../../core/ports.js';
import { copy } from './memory-table.js';

/** Each club's fitted model in a Map, replaced whole: the in-memory twin of DynamoDbModelStore. */
export class MemoryModelStore implements ModelStore {
  private readonly models = new Map<string, ClubModel>();

  async put(clubId: string, model: ClubModel): Promise<void> {
    this.models.set(clubId, ClubModel.parse(model));
  }

  async get(clubId: string): Promise<ClubModel | undefined> {
    const model = this.models.get(clubId);
    return model && copy(model);
  }
}
