import { type Assignment, assignmentFor, type Experiment } from '../core/experiment.js';
import type { MemberHistory } from '../core/experiment-outcomes.js';
import { experimentReport } from '../core/experiment-report.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import type { MemberState } from '../core/ports.js';
import { receiptSpend } from '../core/receipts.js';
import { DAY_MS } from '../core/units.js';
import type { Deps } from './deps.js';
import { storedAssignment } from './experiment-arms.js';

type ReportDeps = Pick<Deps, 'clubs' | 'campaigns' | 'members' | 'purchases' | 'experiments' | 'clock'>;

/** Delivery states of a mail SES took: it counts as a mail the member got. */
const MAILED = new Set(['sent', 'soft-bounced', 'bounced', 'complained']);
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

/** The campaign mails each member got since shortly before the experiment, with the products offered. */
async function mailsByMember(deps: Pick<Deps, 'campaigns'>, experiment: Experiment) {
  const since = Date.parse(experiment.startedAt) - experiment.conversionWindowDays * DAY_MS;
  const campaigns = (await deps.campaigns.listCampaigns(experiment.clubId)).filter(
    (c) => Date.parse(c.sendAt) >= since && c.status !== 'draft',
  );
  const mails = new Map<string, Array<{ at: number; productIds: string[] }>>();
  for (const campaign of campaigns) {
    for (const record of await deps.campaigns.listDecisions(experiment.clubId, campaign.campaignId)) {
      const { decision, delivery } = record;
      if (decision.outcome !== 'send' || !delivery || !MAILED.has(delivery.state) || !('at' in delivery)) continue;
      const list = mails.get(decision.memberId) ?? [];
      list.push({ at: Date.parse(delivery.at), productIds: decision.offers.map((o) => o.productId) });
      mails.set(decision.memberId, list);
    }
  }
  return mails;
}

/**
 * When the member left mail: their unsubscribe, or the complaint that stopped their mail. A member
 * who left at a time nothing recorded (unsubscribed before the time was kept) left before anything
 * the experiment measures: 0.
 */
function leftAt(state: MemberState): number | undefined {
  const { member, ledger } = state;
  if (member.subscription === 'unsubscribed')
    return member.subscriptionChangedAt ? Date.parse(member.subscriptionChangedAt) : 0;
  if (member.deliverability === 'complained')
    return ledger.stop?.reason === 'complained' ? Date.parse(ledger.stop.at) : 0;
  return undefined;
}

/**
 * The club's experiment report (GET /api/clubs/:club/experiment): every member's history read
 * from the store, then core/experiment-report.ts. Read-only: a member not yet planned is shown in
 * the arm the next plan will store. Undefined when the club has no experiment.
 */
export async function readExperimentReport(deps: ReportDeps, clubId: string) {
  const [club, experiment, prediction] = await Promise.all([
    deps.clubs.getClub(clubId),
    deps.experiments.get(clubId),
    deps.experiments.getPrediction(clubId),
  ]);
  if (!club || !experiment) return undefined;
  const now = deps.clock.now();
  const mails = await mailsByMember(deps, experiment);
  const members: MemberHistory[] = [];
  const startedAt = Date.parse(experiment.startedAt);
  await forEachMember(deps, experiment, now, async (state, assignment, stored) => {
    const { member } = state;
    const receipts = await deps.purchases.listReceipts(clubId, member.memberId);
    const left = leftAt(state);
    members.push({
      memberId: member.memberId,
      armId: assignment.armId,
      assignedAt: stored ? Date.parse(assignment.assignedAt) : Math.max(startedAt, Date.parse(member.joinedAt)),
      ...(left === undefined ? {} : { leftAt: left }),
      ...(member.lastEngagedAt ? { lastEngagedAt: Date.parse(member.lastEngagedAt) } : {}),
      mails: mails.get(member.memberId) ?? [],
      receipts: receipts.map((r) => {
        const spend = receiptSpend(r);
        return {
          at: Date.parse(r.at),
          productIds: r.items.map((i) => i.productId),
          ...(spend === undefined ? {} : { spend }),
        };
      }),
    });
  });
  return experimentReport(experiment, members, now.getTime(), club.engagement, prediction);
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
