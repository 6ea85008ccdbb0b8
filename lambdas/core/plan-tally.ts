import type { Decision } from './decision.js';
import type { PlanTally } from './jobs.js';
import { inReasonOrder, QUIET_HOURS_DEFERRED } from './reasons.js';

/**
 * A tally of decisions: planned, to send, suppressed by reason (in the order the planner checks them,
 * `not-in-audience` first), deferred for quiet hours.
 */
export function tallyOf(decisions: readonly Decision[]): PlanTally {
  const suppressed: Record<string, number> = {};
  const deferred: Record<string, number> = {};
  let toSend = 0;
  for (const d of decisions) {
    if (d.outcome === 'send') {
      toSend += 1;
      if (d.notBefore) deferred[QUIET_HOURS_DEFERRED] = (deferred[QUIET_HOURS_DEFERRED] ?? 0) + 1;
    } else suppressed[d.reason] = (suppressed[d.reason] ?? 0) + 1;
  }
  return { planned: decisions.length, toSend, suppressed: inReasonOrder(suppressed), deferred };
}

/** Two tallies summed, the reasons kept in the planner's order. */
export function addTallies(a: PlanTally, b: PlanTally): PlanTally {
  const add = (x: Readonly<Record<string, number>>, y: Readonly<Record<string, number>>) => {
    const out: Record<string, number> = { ...x };
    for (const [k, n] of Object.entries(y)) out[k] = (out[k] ?? 0) + n;
    return out;
  };
  return {
    planned: a.planned + b.planned,
    toSend: a.toSend + b.toSend,
    suppressed: inReasonOrder(add(a.suppressed, b.suppressed)),
    deferred: add(a.deferred, b.deferred),
  };
}
