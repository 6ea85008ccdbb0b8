import { type Assignment, assignmentFor, type Experiment } from '../core/experiment.js';
import type { ExperimentCount } from '../core/experiment-figures.js';
import { reportAround } from '../core/experiment-report.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import type { MemberState } from '../core/ports.js';
import type { Deps } from './deps.js';
import { storedAssignment } from './experiment-arms.js';

type ReportDeps = Pick<Deps, 'clubs' | 'experiments'>;

const PAGE = 100;

/** Each member of the club, one page at a time, with their arm (stored, or the one the next plan would store). */
async function forEachMember(
  deps: Pick<Deps, 'members'>,
  experiment: Experiment,
  now: Date,
  visit: (state: MemberState, assignment: Assignment, stored: boolean) => Promise<void>,
): Promise<void> {
  for (let shard = 0; shard < MEMBER_SHARDS; shard++) {
    let cursor: string | undefined;
    do {
      const page = await deps.members.listShard(experiment.clubId, shard, cursor, PAGE);
      await Promise.all(
        page.states.map((state) => {
          const stored = storedAssignment(state, experiment.experimentId);
          const { assignment } = assignmentFor(experiment, state.member.memberId, stored, now);
          return visit(state, assignment, stored !== undefined);
        }),
      );
      cursor = page.cursor;
    } while (cursor);
  }
}

/** A count under way, as the report answer shows it. */
function countingOf(count: ExperimentCount | undefined) {
  const run = count?.run;
  if (!run) return null;
  return {
    startedAt: run.startedAt,
    countingAt: run.countingAt,
    members: run.members,
    shardsDone: run.shards.filter((s) => s.done).length,
    shards: run.shards.length,
  };
}

/**
 * The club's experiment report (GET /api/clubs/:club/experiment) as of its last count
 * (app/experiment-count.ts): a read of four items whatever the club's size. `countedAt` says as of
 * when (null before the first count), and `counting` shows a count under way. Undefined when the club
 * has no experiment.
 */
export async function readExperimentReport(deps: ReportDeps, clubId: string) {
  const [club, experiment, prediction, count] = await Promise.all([
    deps.clubs.getClub(clubId),
    deps.experiments.get(clubId),
    deps.experiments.getPrediction(clubId),
    deps.experiments.getCount(clubId),
  ]);
  if (!club || !experiment) return undefined;
  const last = count?.last?.experimentId === experiment.experimentId ? count.last : undefined;
  return {
    ...reportAround(experiment, last?.months ?? [], prediction),
    countedAt: last?.countedAt ?? null,
    counting: count?.run?.experimentId === experiment.experimentId ? countingOf(count) : null,
  };
}

/** One row of the club's assignment export. */
export interface AssignmentRow {
  readonly memberId: string;
  readonly experimentId: string;
  readonly armId: string;
  /** Empty for a member the experiment has not planned yet (the arm is what the next plan will store). */
  readonly assignedAt: string;
  readonly stored: boolean;
}

/** Every member's arm in the club's experiment, for the club's own analysis (CSV or JSON). */
export async function exportAssignments(
  deps: Pick<Deps, 'members' | 'experiments' | 'clock'>,
  clubId: string,
): Promise<{ experiment: Experiment; rows: AssignmentRow[] } | undefined> {
  const experiment = await deps.experiments.get(clubId);
  if (!experiment) return undefined;
  const rows: AssignmentRow[] = [];
  await forEachMember(deps, experiment, deps.clock.now(), async (state, assignment, stored) => {
    rows.push({
      memberId: state.member.memberId,
      experimentId: experiment.experimentId,
      armId: assignment.armId,
      assignedAt: stored ? assignment.assignedAt : '',
      stored,
    });
  });
  rows.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  return { experiment, rows };
}
