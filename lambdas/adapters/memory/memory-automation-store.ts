import { Automation } from '../../core/automation.js';
import type { AutomationStore, RecurringSchedule, RecurringScheduler } from '../../core/automation-ports.js';
import { copy, keyOf, MemoryTable } from './memory-table.js';

/** Automations by club and id: the in-memory twin of DynamoDbAutomationStore, with its conditional writes. */
export class MemoryAutomationStore implements AutomationStore {
  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async create(automation: Automation): Promise<'created' | 'exists'> {
    const key = keyOf(automation.clubId, automation.automationId);
    if (this.table.automations.has(key)) return 'exists';
    this.table.automations.set(key, Automation.parse(automation));
    return 'created';
  }

  async get(clubId: string, automationId: string): Promise<Automation | undefined> {
    const automation = this.table.automations.get(keyOf(clubId, automationId));
    return automation && copy(automation);
  }

  /** In id order, as the table's sort key has them. */
  async list(clubId: string): Promise<Automation[]> {
    return copy(MemoryTable.under(this.table.automations, clubId)).sort((a, b) =>
      a.automationId < b.automationId ? -1 : 1,
    );
  }

  /** Written only if the stored one still has `expectedUpdatedAt` (the table's condition on updatedAt). */
  async replace(automation: Automation, expectedUpdatedAt: string): Promise<'replaced' | 'changed'> {
    const key = keyOf(automation.clubId, automation.automationId);
    if (this.table.automations.get(key)?.updatedAt !== expectedUpdatedAt) return 'changed';
    this.table.automations.set(key, Automation.parse(automation));
    return 'replaced';
  }

  /** Forward only, and nothing for an automation that is gone. */
  async noteRun(clubId: string, automationId: string, occurrence: string): Promise<void> {
    const key = keyOf(clubId, automationId);
    const stored = this.table.automations.get(key);
    if (!stored || (stored.lastOccurrence !== undefined && stored.lastOccurrence >= occurrence)) return;
    this.table.automations.set(key, { ...stored, lastOccurrence: occurrence });
  }
}

/** Recurring schedules kept, not fired: a test reads them (and runs an occurrence itself). */
export class MemoryRecurringScheduler implements RecurringScheduler {
  readonly armed = new Map<string, RecurringSchedule>();

  async arm(schedule: RecurringSchedule): Promise<void> {
    this.armed.set(keyOf(schedule.clubId, schedule.automationId), copy(schedule));
  }

  async disarm(clubId: string, automationId: string): Promise<void> {
    this.armed.delete(keyOf(clubId, automationId));
  }
}
