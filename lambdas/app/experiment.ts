import { Experiment, type ExperimentInput } from '../core/experiment.js';
import type { ExperimentPrediction } from '../core/experiment-ports.js';
import { fail, ok, type Result } from '../core/result.js';
import type { Deps } from './deps.js';
import { invalid, type Refusal } from './refusal.js';

type ExperimentDeps = Pick<Deps, 'clubs' | 'experiments' | 'clock' | 'log'>;

/**
 * Start or change the club's policy experiment (docs/decisions/0044-policy-experiment.md).
 * - A new `experimentId` starts a new experiment: every member is drawn afresh the first time it
 *   plans them (the old experiment's arms stay stored, and exported, under its own id).
 * - The same id changes the running one: shares may change (only members not yet assigned follow
 *   them), an arm may not disappear (its members keep it), and the start stays.
 * - A "previous settings" arm without its own budget keeps the club's settings as they are now, or
 *   as they were kept when the experiment was first configured.
 */
export async function configureExperiment(
  deps: ExperimentDeps,
  clubId: string,
  input: ExperimentInput,
): Promise<Result<{ experiment: Experiment; before?: Experiment }, Refusal>> {
  const club = await deps.clubs.getClub(clubId);
  if (!club) return fail({ why: 'not-found', message: `club ${clubId} does not exist` });
  const before = await deps.experiments.get(clubId);
  const now = deps.clock.now().toISOString();
  const same = before?.experimentId === input.experimentId ? before : undefined;
  if (same) {
    const gone = same.arms.filter((a) => !input.arms.some((b) => b.armId === a.armId)).map((a) => a.armId);
    if (gone.length > 0)
      return fail(
        invalid([
          {
            path: 'arms',
            message: `${gone.join(', ')} has members already; keep it (a share of 0 assigns no new members)`,
          },
        ]),
      );
  }
  const arms = input.arms.map((arm) => {
    if (arm.policy.type !== 'previous-settings') return { ...arm, policy: arm.policy };
    const kept = same?.arms.find((a) => a.armId === arm.armId)?.policy;
    const earlier = kept?.type === 'previous-settings' ? kept : undefined;
    return {
      ...arm,
      policy: {
        type: 'previous-settings' as const,
        budget: arm.policy.budget ?? earlier?.budget ?? club.budget,
        engagement: arm.policy.engagement ?? earlier?.engagement ?? club.engagement,
      },
    };
  });
  const experiment = Experiment.parse({
    clubId,
    experimentId: input.experimentId,
    status: input.status,
    arms,
    readableAfter: input.readableAfter,
    conversionWindowDays: input.conversionWindowDays,
    startedAt: same?.startedAt ?? now,
    updatedAt: now,
    ...(input.status === 'stopped' ? { stoppedAt: same?.stoppedAt ?? now } : {}),
  });
  await deps.experiments.put(experiment);
  deps.log.info('experiment configured', { clubId, experimentId: experiment.experimentId, status: experiment.status });
  return ok({ experiment, ...(before ? { before } : {}) });
}

/** Store the simulator's prediction for the club's experiment (`npm run experiment:predict`). */
export async function savePrediction(
  deps: ExperimentDeps,
  clubId: string,
  prediction: ExperimentPrediction,
): Promise<Result<{ prediction: ExperimentPrediction }, Refusal>> {
  const experiment = await deps.experiments.get(clubId);
  if (!experiment) return fail({ why: 'not-found', message: `club ${clubId} has no experiment` });
  if (experiment.experimentId !== prediction.experimentId)
    return fail(invalid([{ path: 'experimentId', message: `the club's experiment is ${experiment.experimentId}` }]));
  const unknown = prediction.arms.filter((p) => !experiment.arms.some((a) => a.armId === p.armId));
  if (unknown.length > 0)
    return fail(invalid([{ path: 'arms', message: `${unknown.map((a) => a.armId).join(', ')} is not an arm` }]));
  await deps.experiments.putPrediction(clubId, prediction);
  return ok({ prediction });
}
