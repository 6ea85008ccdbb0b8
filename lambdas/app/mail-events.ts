import type { SendCounter } from '../core/ports.js';
import { DEFAULT_DELIVERABILITY, judgeRates, type OutcomeState } from '../core/send-protocol.js';
import type { MailEvent } from '../core/ses-events.js';
import { DAY_MS } from '../core/units.js';
import type { Deps } from './deps.js';

type EventDeps = Pick<
  Deps,
  'campaigns' | 'members' | 'clubs' | 'suppressions' | 'deliveryStats' | 'sending' | 'outcomes' | 'clock' | 'log'
>;

const OUTCOME: Partial<Record<MailEvent['kind'], { state: OutcomeState; counter: SendCounter }>> = {
  'hard-bounce': { state: 'bounced', counter: 'bounced' },
  'soft-bounce': { state: 'soft-bounced', counter: 'softBounced' },
  complaint: { state: 'complained', counter: 'complained' },
  reject: { state: 'rejected', counter: 'rejected' },
  'rendering-failure': { state: 'rendering-failed', counter: 'renderingFailed' },
};

/**
 * Apply a batch of SES events (docs/reliability.md 16-18). Returns the indexes of events that failed, so
 * only their SQS records are retried. Every effect is idempotent and monotonic: SEND events are
 * logged as evidence for reconciling unknown mails; deliveries and delays are counted once per batch;
 * bounces, complaints and rejections move the mail's state up its rank, count only when they moved it,
 * suppress the member, and may pause the club's sending when its rates reach the pause levels.
 */
export async function handleMailEvents(deps: EventDeps, events: readonly MailEvent[]): Promise<Set<number>> {
  const failed = new Set<number>();
  const sends = new Map<
    string,
    { indexes: number[]; sends: Array<{ sendId: string; messageId: string; mailAt: string }> }
  >();
  const counts = new Map<
    string,
    { indexes: number[]; clubId: string; day: string; campaignId: string | undefined; counter: SendCounter; n: number }
  >();
  const perEvent: number[] = [];

  events.forEach((event, index) => {
    const { club, sendId, campaign } = event.tags;
    if (!club) {
      deps.log.warn('SES event without a club tag ignored', { kind: event.kind, messageId: event.messageId });
      return;
    }
    if (event.kind === 'send') {
      if (!sendId) return;
      const group = sends.get(club) ?? { indexes: [], sends: [] };
      group.indexes.push(index);
      group.sends.push({ sendId, messageId: event.messageId, mailAt: event.mailAt });
      sends.set(club, group);
    } else if (event.kind === 'delivery' || event.kind === 'delivery-delay') {
      const counter: SendCounter = event.kind === 'delivery' ? 'delivered' : 'delayed';
      const day = event.mailAt.slice(0, 10);
      const key = `${club}|${day}|${campaign ?? ''}|${counter}`;
      const entry = counts.get(key) ?? { indexes: [], clubId: club, day, campaignId: campaign, counter, n: 0 };
      entry.indexes.push(index);
      entry.n += 1;
      counts.set(key, entry);
    } else perEvent.push(index);
  });

  const paused = new Set<string>();
  await Promise.all([
    ...[...sends].map(async ([clubId, group]) => {
      try {
        await deps.deliveryStats.logSends(clubId, group.sends);
      } catch (error: unknown) {
        fail(group.indexes, error);
      }
    }),
    ...[...counts.values()].map(async (entry) => {
      try {
        await deps.deliveryStats.add(entry.clubId, entry.day, entry.campaignId, { [entry.counter]: entry.n });
      } catch (error: unknown) {
        fail(entry.indexes, error);
      }
    }),
    ...perEvent.map(async (index) => {
      const event = events[index];
      if (!event) return;
      try {
        if (await applyOne(deps, event)) paused.add(event.tags.club ?? '');
      } catch (error: unknown) {
        fail([index], error);
      }
    }),
  ]);
  for (const clubId of paused) {
    if (!clubId) continue;
    try {
      await checkRates(deps, clubId);
    } catch (error: unknown) {
      deps.log.error('could not check the club rates', { clubId, error });
    }
  }
  return failed;

  function fail(indexes: readonly number[], error: unknown): void {
    for (const i of indexes) failed.add(i);
    deps.log.warn('SES events failed; they will be retried', { count: indexes.length, error });
  }
}

/** One bounce, complaint, rejection, rendering failure or click. True when the club's rates may have moved. */
async function applyOne(deps: EventDeps, event: MailEvent): Promise<boolean> {
  const { club: clubId, campaign: campaignId, member: memberId, sendId } = event.tags;
  if (!clubId || !memberId) {
    deps.log.warn('SES event without a member tag ignored', { kind: event.kind, messageId: event.messageId });
    return false;
  }
  const at = new Date(event.at);
  if (event.kind === 'click') {
    await deps.members.noteEngagement(clubId, memberId, at);
    // The member's first click in this campaign's mail, for its report (unique clickers).
    if (campaignId) await deps.outcomes.noteClick(clubId, campaignId, memberId, at);
    return false;
  }
  if (event.kind === 'open') return false;
  const outcome = OUTCOME[event.kind];
  if (!outcome) return false;
  const recipient = event.recipients[0];
  const recipientHash = recipient ? await deps.suppressions.hash(recipient) : undefined;

  // Campaign mail has its own record and counts toward the rates (as its sends do); a transactional
  // mail (no campaign tag) only affects the member.
  let moved = false;
  if (campaignId) {
    moved =
      (await deps.campaigns.recordDelivery(
        clubId,
        campaignId,
        memberId,
        {
          state: outcome.state,
          messageId: event.messageId,
          at: event.at,
          ...(event.detail ? { detail: event.detail } : {}),
        },
        recipientHash ? { recipientHash } : {},
      )) === 'moved';
  }
  if (moved) await deps.deliveryStats.add(clubId, event.mailAt.slice(0, 10), campaignId, { [outcome.counter]: 1 });

  // Member effects are idempotent on their own, so they run for duplicates too (healing a crash in between).
  const detail = event.detail ?? event.kind;
  if (event.kind === 'hard-bounce' || event.kind === 'complaint') {
    const state = event.kind === 'hard-bounce' ? 'bounced' : 'complained';
    const changed = await deps.members.markUndeliverable(clubId, memberId, state, at, detail);
    if (event.kind === 'complaint') await deps.members.unsubscribe(clubId, memberId, at, 'complaint');
    if (recipient) await deps.suppressions.add(clubId, recipient, at, `ses-${event.kind}`, event.kind);
    if (changed === 'changed')
      deps.log.info('member suppressed by an SES event', { clubId, memberId, state, messageId: event.messageId });
  } else if (event.kind === 'soft-bounce') {
    const club = await deps.clubs.getClub(clubId);
    const policy = club?.reputation ?? DEFAULT_DELIVERABILITY;
    const recent = await deps.members.recordSoftBounce(clubId, memberId, sendId ?? event.messageId, at, 30);
    if (recent >= policy.softBounceLimit) {
      await deps.members.markUndeliverable(clubId, memberId, 'undeliverable', at, `${recent} soft bounces in 30 days`);
    }
  }
  return moved && (event.kind === 'hard-bounce' || event.kind === 'complaint');
}

/** Pause the club's sending when its bounce or complaint rate over the window reaches the pause level. */
async function checkRates(deps: EventDeps, clubId: string): Promise<void> {
  const club = await deps.clubs.getClub(clubId);
  const policy = club?.reputation ?? DEFAULT_DELIVERABILITY;
  const now = deps.clock.now();
  const from = new Date(now.getTime() - (policy.windowDays - 1) * DAY_MS).toISOString().slice(0, 10);
  const counts = await deps.deliveryStats.clubCounts(clubId, from, now.toISOString().slice(0, 10));
  const verdict = judgeRates(counts, policy);
  if (!verdict.pause) return;
  const opened = await deps.sending.open(
    { kind: 'club', clubId },
    { state: 'open', reason: verdict.reason, message: verdict.message, openedAt: now.toISOString() },
  );
  if (opened)
    deps.log.error('club sending paused by its own rates', {
      clubId,
      reason: verdict.reason,
      message: verdict.message,
      ...counts,
    });
}
