import type { Scheduler } from '../../core/ports.js';
import { keyOf } from './memory-table.js';

/** Keeps one schedule per campaign (a new one replaces it), as EventBridge Scheduler's named schedules do. */
export class MemoryScheduler implements Scheduler {
  private readonly schedules = new Map<string, { clubId: string; campaignId: string; at: Date }>();

  async schedule(clubId: string, campaignId: string, at: Date): Promise<void> {
    this.schedules.set(keyOf(clubId, campaignId), { clubId, campaignId, at: new Date(at) });
  }

  async cancel(clubId: string, campaignId: string): Promise<void> {
    this.schedules.delete(keyOf(clubId, campaignId));
  }

  /** How many schedules wait. */
  get pending(): number {
    return this.schedules.size;
  }

  /** When the campaign's planning is scheduled, if it is. */
  scheduledAt(clubId: string, campaignId: string): Date | undefined {
    return this.schedules.get(keyOf(clubId, campaignId))?.at;
  }
}
