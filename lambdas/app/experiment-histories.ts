import { assignmentFor, type Experiment } from '../core/experiment.js';
import type { MemberHistory } from '../core/experiment-outcomes.js';
import type { Campaign } from '../core/model.js';
import type { MemberState } from '../core/ports.js';
import { receiptSpend } from '../core/receipts.js';
import { DAY_MS } from '../core/units.js';
import type { Deps } from './deps.js';
import { storedAssignment } from './experiment-arms.js';

/** Delivery states of a mail SES took: it counts as a mail the member got. */
const MAILED = new Set(['sent', 'soft-bounced', 'bounced', 'complained']);
/** Receipts queries in flight at once for one slice. */
const READS_AT_ONCE = 50;

type HistoryDeps = Pick<Deps, 'campaigns' | 'purchases'>;

/** The campaigns whose mails the report counts: sent from shortly before the experiment on, drafts left out. */
export async function campaignsOfExperiment(
  deps: Pick<Deps, 'campaigns'>,
  experiment: Experiment,
): Promise<Campaign[]> {
  const since = Date.parse(experiment.startedAt) - experiment.conversionWindowDays * DAY_MS;
  return (await deps.campaigns.campaignsBetween(experiment.clubId, new Date(since))).filter(
    (c) => c.status !== 'draft',
  );
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

/** The campaign mails of these members, with the products each offered: one batched read per campaign. */
async function mailsOf(
  deps: Pick<Deps, 'campaigns'>,
  clubId: string,
  campaigns: readonly Campaign[],
  memberIds: readonly string[],
): Promise<Map<string, Array<{ at: number; productIds: string[] }>>> {
  const mails = new Map<string, Array<{ at: number; productIds: string[] }>>();
  if (memberIds.length === 0) return mails;
  const records = await Promise.all(campaigns.map((c) => deps.campaigns.decisionsOf(clubId, c.campaignId, memberIds)));
  for (const { decision, delivery } of records.flat()) {
    if (decision.outcome !== 'send' || !delivery || !MAILED.has(delivery.state) || !('at' in delivery)) continue;
    const list = mails.get(decision.memberId) ?? [];
    list.push({ at: Date.parse(delivery.at), productIds: decision.offers.map((o) => o.productId) });
    mails.set(decision.memberId, list);
  }
  // The order mails were read in says nothing: keep them in time order, whatever the store returned.
  for (const list of mails.values()) list.sort((a, b) => a.at - b.at);
  return mails;
}

/**
 * What the report needs of one page of members: each member's arm (stored, or the one the next plan
 * would store, drawn as at `now`), when they left mail, their campaign mails and their receipts.
 */
export async function historiesOf(
  deps: HistoryDeps,
  experiment: Experiment,
  campaigns: readonly Campaign[],
  states: readonly MemberState[],
  now: Date,
): Promise<MemberHistory[]> {
  const { clubId } = experiment;
  const startedAt = Date.parse(experiment.startedAt);
  const mails = await mailsOf(
    deps,
    clubId,
    campaigns,
    states.map((s) => s.member.memberId),
  );
  const histories: MemberHistory[] = [];
  for (let i = 0; i < states.length; i += READS_AT_ONCE) {
    const chunk = states.slice(i, i + READS_AT_ONCE);
    const receipts = await Promise.all(chunk.map((s) => deps.purchases.listReceipts(clubId, s.member.memberId)));
    chunk.forEach((state, j) => {
      const { member } = state;
      const stored = storedAssignment(state, experiment.experimentId);
      const { assignment } = assignmentFor(experiment, member.memberId, stored, now);
      const left = leftAt(state);
      histories.push({
        memberId: member.memberId,
        armId: assignment.armId,
        assignedAt: stored ? Date.parse(assignment.assignedAt) : Math.max(startedAt, Date.parse(member.joinedAt)),
        ...(left === undefined ? {} : { leftAt: left }),
        ...(member.lastEngagedAt ? { lastEngagedAt: Date.parse(member.lastEngagedAt) } : {}),
        mails: mails.get(member.memberId) ?? [],
        receipts: (receipts[j] ?? []).map((r) => {
          const spend = receiptSpend(r);
          return {
            at: Date.parse(r.at),
            productIds: r.items.map((item) => item.productId),
            ...(spend === undefined ? {} : { spend }),
          };
        }),
      });
    });
  }
  return histories;
}
