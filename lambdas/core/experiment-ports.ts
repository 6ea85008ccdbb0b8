import { z } from 'zod';
import type { Assignment, Experiment } from './experiment.js';
import type { ExperimentCount } from './experiment-figures.js';
import { Id } from './ids.js';

/**
 * What the churn simulator (bench/lib/fatigue, `npm run experiment:predict`) expects of each arm's
 * policy, stored beside the experiment so the report can put it next to what members did.
 */
export const ArmPrediction = z.object({
  armId: Id,
  /** Share of the simulated members who had left mail (unsubscribed) by the end of each month, month 1 first. */
  leftShareByMonth: z.array(z.number().min(0).max(1)).min(1).max(36),
  mailsPerMemberPerMonth: z.number().min(0),
  conversionsPerMemberPerMonth: z.number().min(0),
});
export type ArmPrediction = z.infer<typeof ArmPrediction>;

export const ExperimentPrediction = z.object({
  experimentId: Id,
  /** A fingerprint of the arms' policies it was computed for: a changed policy makes it stale. */
  policies: z.string().min(1).max(128),
  simulator: z.object({
    members: z.number().int().min(1),
    weeks: z.number().int().min(1),
    seed: z.number().int(),
    /** The simulator's version of the world: `bench/lib/fatigue` with the club's catalog or the demo grocer's. */
    world: z.string().min(1).max(200),
  }),
  arms: z.array(ArmPrediction).min(1).max(4),
  computedAt: z.iso.datetime(),
});
export type ExperimentPrediction = z.infer<typeof ExperimentPrediction>;

/** The club's experiment, its members' arms and the simulator's prediction. */
export interface ExperimentStore {
  get(clubId: string): Promise<Experiment | undefined>;
  put(experiment: Experiment): Promise<void>;
  /**
   * Store a member's arm unless they have one for this experiment already; returns the one in force
   * (the earlier one when there was one: an assignment never changes).
   */
  assign(clubId: string, memberId: string, assignment: Assignment): Promise<Assignment>;
  putPrediction(clubId: string, prediction: ExperimentPrediction): Promise<void>;
  getPrediction(clubId: string): Promise<ExperimentPrediction | undefined>;
  /** The club's stored report count (app/experiment-count.ts), if it was ever counted. */
  getCount(clubId: string): Promise<ExperimentCount | undefined>;
  /** Write the count if it is still at `expectedVersion` (undefined: there is none yet). */
  putCount(count: ExperimentCount, expectedVersion: number | undefined): Promise<'written' | 'changed'>;
}
