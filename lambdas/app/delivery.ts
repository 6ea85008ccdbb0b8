import type { SendJob } from '../core/jobs.js';
import { MAX_QUEUE_DELAY_SECONDS } from '../core/ports.js';
import type { DropReason } from '../core/reasons.js';
import type { Deps } from './deps.js';
import { type BatchCache, countSend } from './send-batch-cache.js';
import type { SendStep } from './send-settings.js';

/** What became of one send job. */
export type DeliveryOutcome =
  | { readonly kind: 'sent'; readonly messageId: string }
  | { readonly kind: 'reconciled'; readonly messageId: string }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'deferred'; readonly until: string }
  | { readonly kind: 'unknown'; readonly recheckAt: string }
  | { readonly kind: 'held'; readonly reason: string }
  | { readonly kind: 'dropped'; readonly reason: string };

export type DeliverDeps = Pick<
  Deps,
  | 'clubs'
  | 'campaigns'
  | 'members'
  | 'ledger'
  | 'mailer'
  | 'sendQueue'
  | 'clock'
  | 'tokenKeys'
  | 'publicBaseUrl'
  | 'log'
  | 'deliveryStats'
  | 'sending'
  | 'pacer'
  | 'sendSettings'
  | 'sendingDomains'
  | 'faults'
>;

/** One delivery of one send job: the job, the time it is judged at, and the moves every step may make. */
export interface Delivery {
  readonly deps: DeliverDeps;
  readonly job: SendJob;
  readonly now: Date;
  readonly cache: BatchCache;
  /** Give the mail up for good, noting why on its decision. */
  drop(reason: DropReason): Promise<DeliveryOutcome>;
  /** Put the job (or a changed copy of it) back on the queue, at most 15 minutes ahead. */
  requeue(next: SendJob, delayMs: number): Promise<void>;
  /** Count the send on the club's daily counter, written once per batch. */
  countSent(): void;
  /** Tests only: stop here, as a crash would. */
  fault(step: SendStep): Promise<void>;
}

export function startDelivery(deps: DeliverDeps, job: SendJob, cache: BatchCache): Delivery {
  const { clubId, campaignId, memberId } = job;
  const now = deps.clock.now();
  return {
    deps,
    job,
    now,
    cache,
    async drop(reason) {
      await deps.campaigns.recordDelivery(clubId, campaignId, memberId, {
        state: 'dropped',
        reason,
        at: now.toISOString(),
      });
      deps.log.info('mail dropped before sending', { clubId, campaignId, memberId, reason });
      return { kind: 'dropped', reason };
    },
    async requeue(next, delayMs) {
      await deps.sendQueue.send([next], {
        delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, Math.ceil(delayMs / 1000))),
      });
    },
    countSent: () => countSend(cache, clubId, now),
    async fault(step) {
      if (deps.faults) await deps.faults(step, job);
    },
  };
}
