import { z } from 'zod';

/**
 * The send protocol's states for one mail (docs/sending.md has the state machine).
 *
 *   queued ─claim─▶ (claimed) ─SES─▶ sent ─events─▶ soft-bounced / rejected / rendering-failed / bounced / complained
 *                       │
 *                       └─ worker died ─▶ unknown ─SEND event found─▶ sent
 *                                            └─ none after the grace ─▶ taken over ─SES─▶ sent
 *   queued / unknown ─checks fail─▶ dropped
 *
 * States only move up the rank, so a duplicate or late event never turns a complaint back into
 * "sent", and a late "dropped" never hides a mail that went out.
 */
export const DeliveryState = z.enum([
  'queued',
  'unknown',
  'dropped',
  'sent',
  'soft-bounced',
  'rejected',
  'rendering-failed',
  'bounced',
  'complained',
]);
export type DeliveryState = z.infer<typeof DeliveryState>;

export const DELIVERY_RANK: Readonly<Record<DeliveryState, number>> = {
  queued: 0,
  unknown: 1,
  dropped: 2,
  sent: 3,
  'soft-bounced': 4,
  rejected: 5,
  'rendering-failed': 5,
  bounced: 6,
  complained: 7,
};

/** What SES told us after it took the mail. */
export type OutcomeState = 'soft-bounced' | 'rejected' | 'rendering-failed' | 'bounced' | 'complained';

export type Delivery =
  | { readonly state: 'queued' }
  /**
   * Claimed, but not marked sent: the worker died (SES may or may not have the mail), or SES
   * `refused` the call (throttled, paused: it certainly does not have it, and it may be sent again).
   */
  | { readonly state: 'unknown'; readonly since: string; readonly refused?: boolean }
  | { readonly state: 'dropped'; readonly reason: string; readonly at: string }
  | { readonly state: 'sent'; readonly messageId: string; readonly at: string }
  | { readonly state: OutcomeState; readonly messageId: string; readonly at: string; readonly detail?: string };

/** Whether moving from `from` to `to` is allowed: only upwards. */
export function canMove(from: DeliveryState | undefined, to: DeliveryState): boolean {
  return from === undefined || DELIVERY_RANK[from] < DELIVERY_RANK[to];
}

/**
 * When the club's own sending pauses, before SES reviews the account (5 % bounces, 0.1 %
 * complaints): docs/reliability.md 18. The thresholds cannot be set above SES's review levels.
 */
export const DeliverabilityPolicy = z.object({
  pauseAtBounceRate: z.number().min(0.001).max(0.05).default(0.04),
  pauseAtComplaintRate: z.number().min(0.0001).max(0.001).default(0.0008),
  /** Rates are over this many days of sends. */
  windowDays: z.number().int().min(1).max(30).default(7),
  /** Below this many sends in the window a rate says too little to pause on. */
  minSends: z.number().int().min(1).max(100_000).default(500),
  /** Soft bounces within 30 days after which the address counts as undeliverable. */
  softBounceLimit: z.number().int().min(1).max(20).default(3),
});
export type DeliverabilityPolicy = z.infer<typeof DeliverabilityPolicy>;
export const DEFAULT_DELIVERABILITY: DeliverabilityPolicy = DeliverabilityPolicy.parse({});

export interface SendCounts {
  readonly sent: number;
  readonly bounced: number;
  readonly complained: number;
}

export type RateVerdict =
  | { readonly pause: false; readonly bounceRate: number; readonly complaintRate: number }
  | {
      readonly pause: true;
      readonly reason: 'bounce-rate' | 'complaint-rate';
      readonly message: string;
      readonly bounceRate: number;
      readonly complaintRate: number;
    };

/** Whether a club's recent bounce or complaint rate means its sending must pause now. */
export function judgeRates(counts: SendCounts, policy: DeliverabilityPolicy): RateVerdict {
  const bounceRate = counts.sent > 0 ? counts.bounced / counts.sent : 0;
  const complaintRate = counts.sent > 0 ? counts.complained / counts.sent : 0;
  if (counts.sent < policy.minSends) return { pause: false, bounceRate, complaintRate };
  const pct = (x: number, digits: number) => `${(x * 100).toFixed(digits)} %`;
  if (complaintRate >= policy.pauseAtComplaintRate) {
    return {
      pause: true,
      reason: 'complaint-rate',
      message: `Complaint rate ${pct(complaintRate, 3)} over ${counts.sent} mails reached the pause level ${pct(policy.pauseAtComplaintRate, 3)}.`,
      bounceRate,
      complaintRate,
    };
  }
  if (bounceRate >= policy.pauseAtBounceRate) {
    return {
      pause: true,
      reason: 'bounce-rate',
      message: `Bounce rate ${pct(bounceRate, 2)} over ${counts.sent} mails reached the pause level ${pct(policy.pauseAtBounceRate, 2)}.`,
      bounceRate,
      complaintRate,
    };
  }
  return { pause: false, bounceRate, complaintRate };
}

/** A stopped sender: SES paused the account, or the club's own rates paused the club. */
export const Breaker = z.object({
  state: z.enum(['open', 'closed']),
  reason: z.string(),
  message: z.string().optional(),
  openedAt: z.iso.datetime(),
  /** After this time an account breaker lets workers send again as probes; a club breaker waits for a person. */
  probeAfter: z.iso.datetime().optional(),
  closedAt: z.iso.datetime().optional(),
  closedBy: z.string().optional(),
});
export type Breaker = z.infer<typeof Breaker>;

/** How the worker treats a breaker right now. */
export function breakerGate(breaker: Breaker | undefined, now: Date): 'closed' | 'probe' | 'open' {
  if (!breaker || breaker.state === 'closed') return 'closed';
  if (breaker.probeAfter && Date.parse(breaker.probeAfter) <= now.getTime()) return 'probe';
  return 'open';
}

/**
 * "Full jitter" exponential backoff (AWS Architecture Blog, 2015): a random wait in
 * [0, min(cap, base·2^attempt)], so retrying workers spread out instead of retrying in step.
 */
export function fullJitter(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
