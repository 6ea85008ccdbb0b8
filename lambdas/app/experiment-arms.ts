import { type Assignment, assignmentFor, type Experiment, type MemberArm, memberArm } from '../core/experiment.js';
import type { MemberState } from '../core/ports.js';
import type { Deps } from './deps.js';

/** The member's stored arm in this experiment, if any. */
export function storedAssignment(
  state: Pick<MemberState, 'assignments'>,
  experimentId: string,
): Assignment | undefined {
  return state.assignments?.find((a) => a.experimentId === experimentId);
}

/**
 * The arms of one page of members in the club's running experiment. A member seen for the first
 * time is drawn under the current shares and, with `store`, the draw is stored (a conditional put:
 * a concurrent plan that stored first wins, and both plans use its arm). The dry-run passes
 * `store: false`: it writes nothing, and shows the arm the next plan would store.
 */
export async function armsOfPage(
  deps: Pick<Deps, 'experiments'>,
  experiment: Experiment | undefined,
  states: readonly MemberState[],
  now: Date,
  options: { readonly store: boolean },
): Promise<Map<string, MemberArm>> {
  const arms = new Map<string, MemberArm>();
  if (experiment?.status !== 'running') return arms;
  await Promise.all(
    states.map(async (state) => {
      const memberId = state.member.memberId;
      const drawn = assignmentFor(experiment, memberId, storedAssignment(state, experiment.experimentId), now);
      const assignment =
        drawn.isNew && options.store
          ? await deps.experiments.assign(experiment.clubId, memberId, drawn.assignment)
          : drawn.assignment;
      const arm = memberArm(experiment, assignment);
      if (arm) arms.set(memberId, arm);
    }),
  );
  return arms;
}
