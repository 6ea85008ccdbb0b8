import { Assignment, Experiment } from '../../core/experiment.js';
import { ExperimentCount } from '../../core/experiment-figures.js';
import { ExperimentPrediction, type ExperimentStore } from '../../core/experiment-ports.js';
import { copy, keyOf, MemoryTable } from './memory-table.js';

/**
 * The club's experiment and prediction by club, each member's arms in the member's partition (read with
 * the member, erased with them): the in-memory twin of DynamoDbExperimentStore.
 */
export class MemoryExperimentStore implements ExperimentStore {
  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async get(clubId: string): Promise<Experiment | undefined> {
    const experiment = this.table.experiments.get(clubId);
    return experiment && copy(experiment);
  }

  async put(experiment: Experiment): Promise<void> {
    this.table.experiments.set(experiment.clubId, Experiment.parse(experiment));
  }

  /** The first assignment stays (the table's conditional put); a later one gets it back. */
  async assign(clubId: string, memberId: string, assignment: Assignment): Promise<Assignment> {
    const key = keyOf(clubId, memberId);
    const arms = this.table.arms.get(key) ?? new Map<string, Assignment>();
    const stored = arms.get(assignment.experimentId);
    if (stored) return copy(stored);
    arms.set(assignment.experimentId, Assignment.parse(assignment));
    this.table.arms.set(key, arms);
    return copy(assignment);
  }

  async putPrediction(clubId: string, prediction: ExperimentPrediction): Promise<void> {
    this.table.predictions.set(clubId, ExperimentPrediction.parse(prediction));
  }

  async getPrediction(clubId: string): Promise<ExperimentPrediction | undefined> {
    const prediction = this.table.predictions.get(clubId);
    return prediction && copy(prediction);
  }

  async getCount(clubId: string): Promise<ExperimentCount | undefined> {
    const count = this.table.experimentCounts.get(clubId);
    return count && copy(count);
  }

  /** Written only over the version it was read at (the table's conditional put). */
  async putCount(count: ExperimentCount, expectedVersion: number | undefined): Promise<'written' | 'changed'> {
    const stored = this.table.experimentCounts.get(count.clubId);
    if (stored?.version !== expectedVersion) return 'changed';
    this.table.experimentCounts.set(count.clubId, ExperimentCount.parse(count));
    return 'written';
  }
}

/** The member's arms as the member store reads them with the member (none: no field). */
export function armsOf(table: MemoryTable, clubId: string, memberId: string): { assignments?: Assignment[] } {
  const arms = [...(table.arms.get(keyOf(clubId, memberId))?.values() ?? [])];
  return arms.length > 0 ? { assignments: copy(arms) } : {};
}
