import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';

/** DynamoDB units counted from each request's ConsumedCapacity (the emulator's own accounting). */
export interface Tally {
  reads: number;
  writes: number;
  failedConditions: number;
  byCommand: Map<string, { calls: number; units: number }>;
}

export const newTally = (): Tally => ({ reads: 0, writes: 0, failedConditions: 0, byCommand: new Map() });

const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'ScanCommand']);
const Capacity = z.object({ CapacityUnits: z.number().optional() });
const Consumed = z.union([Capacity, z.array(Capacity)]).optional();

/**
 * Ask every request for ReturnConsumedCapacity and add its units to whatever tally `current()` gives
 * (none: not counted). A conditional write that fails is counted as 1 write unit, as DynamoDB bills it.
 */
export function countUnits(db: DynamoDBDocumentClient, current: () => Tally | undefined): void {
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input;
      if (typeof input === 'object' && input !== null) Object.assign(input, { ReturnConsumedCapacity: 'TOTAL' });
      const command = String(context.commandName ?? '?');
      const t = current();
      const note = (units: number) => {
        if (!t) return;
        if (READS.has(command)) t.reads += units;
        else t.writes += units;
        const entry = t.byCommand.get(command) ?? { calls: 0, units: 0 };
        entry.calls += 1;
        entry.units += units;
        t.byCommand.set(command, entry);
      };
      try {
        const result = await next(args);
        const output = result.output;
        const consumed = Consumed.parse(
          typeof output === 'object' && output !== null && 'ConsumedCapacity' in output
            ? output.ConsumedCapacity
            : undefined,
        );
        note(
          Array.isArray(consumed)
            ? consumed.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0)
            : (consumed?.CapacityUnits ?? 0),
        );
        return result;
      } catch (error: unknown) {
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
          note(1);
          if (t) t.failedConditions += 1;
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'countConsumedCapacity' },
  );
}
