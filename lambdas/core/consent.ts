/**
 * Consent as an append-only history of grants and withdrawals (docs/decisions/0020-member-sync.md).
 * Pure: the rules that decide which events a sync may add, and which event is in force.
 */
import type { Consent, Member } from './model.js';
import { DAY_MS } from './units.js';

/** The history as stored, or, for a member stored before histories existed, their one consent record. */
export function consentHistoryOf(member: Pick<Member, 'consent' | 'consentHistory'>): Consent[] {
  return member.consentHistory && member.consentHistory.length > 0 ? [...member.consentHistory] : [member.consent];
}

/** Oldest first; at the same instant a withdrawal sorts after a grant, so it is the one in force. */
export function byTime(a: Consent, b: Consent): number {
  const diff = Date.parse(a.at) - Date.parse(b.at);
  if (diff !== 0) return diff;
  return Number(a.marketing === false) - Number(b.marketing === false);
}

/** The event in force: the latest one. */
export function effectiveConsent(history: readonly Consent[]): Consent | undefined {
  return [...history].sort(byTime).at(-1);
}

/** The same event told twice (a nightly re-sync): same kind, instant and source. */
export function sameEvent(a: Consent, b: Consent): boolean {
  return a.marketing === b.marketing && Date.parse(a.at) === Date.parse(b.at) && a.source === b.source;
}

/** A withdrawal in force, and the sources of the grants it ended: a renewed grant must name another. */
export interface Block {
  readonly at: string;
  /** Sources of the grants given before the withdrawal; `undefined` when unknown (then nothing renews it). */
  readonly grantSources: readonly string[] | undefined;
  readonly why: string;
}

/** The latest withdrawal of a history that is in force, if any. */
export function blockOf(history: readonly Consent[]): Block | undefined {
  const sorted = [...history].sort(byTime);
  const last = sorted.at(-1);
  if (!last || last.marketing) return undefined;
  const grantSources = [...new Set(sorted.filter((e) => e.marketing).map((e) => e.source))];
  return { at: last.at, grantSources, why: `the withdrawal of ${last.at} (${last.source})` };
}

/** A withdrawal event for the consent in force: it names the text version and basis it withdraws. */
export function withdrawalOf(current: Consent, at: Date, source: string): Consent {
  return {
    marketing: false,
    textVersion: current.textVersion,
    at: at.toISOString(),
    source,
    legalBasis: current.legalBasis,
  };
}

/** An incoming event the sync did not add, and why. */
export interface RefusedConsent {
  readonly event: Consent;
  readonly why: string;
}

export interface ConsentMerge {
  /** Events to append, oldest first. */
  readonly append: Consent[];
  readonly refused: RefusedConsent[];
  /** The event in force after the append. */
  readonly effective: Consent;
  /** A withdrawal was in force before and a renewed grant is now. */
  readonly renewed: boolean;
}

/** How far in the future an event's time may be (clock skew between the club's systems and ours). */
export const CONSENT_FUTURE_SKEW_MS = DAY_MS;

/**
 * Add what a sync tells about consent to what is stored. Events already known are skipped; a
 * withdrawal is always added; a grant newer than a withdrawal in force is added only when it is a
 * renewal: a source other than those of the grants the withdrawal ended. So a CRM that re-sends the
 * old grant with today's date cannot undo the member's unsubscribe. `block` is a withdrawal known
 * from elsewhere (the address's suppression entry), treated as if it were in the history.
 */
export function mergeConsent(
  history: readonly Consent[],
  incoming: readonly Consent[],
  now: Date,
  block?: Block,
): ConsentMerge {
  const kept = [...history];
  const append: Consent[] = [];
  const refused: RefusedConsent[] = [];
  const before = effectiveConsent(history);
  const futureLimit = now.getTime() + CONSENT_FUTURE_SKEW_MS;
  for (const event of [...incoming].sort(byTime)) {
    if (kept.some((known) => sameEvent(known, event))) continue;
    if (Date.parse(event.at) > futureLimit) {
      refused.push({ event, why: `consent.at ${event.at} is in the future` });
      continue;
    }
    if (event.marketing) {
      const inForce = latestBlock(blockOf(kept), block);
      if (inForce && Date.parse(event.at) > Date.parse(inForce.at)) {
        const sources = inForce.grantSources;
        if (sources === undefined || sources.includes(event.source)) {
          refused.push({
            event,
            why:
              sources === undefined
                ? `kept ${inForce.why}: only the member can renew it`
                : `kept ${inForce.why}: a renewed grant needs its own source, not "${event.source}"`,
          });
          continue;
        }
      }
    }
    kept.push(event);
    append.push(event);
  }
  const effective = effectiveConsent(kept) ?? incoming[0] ?? history[0];
  if (!effective) throw new Error('mergeConsent needs at least one consent event');
  const wasBlocked = (before !== undefined && !before.marketing) || block !== undefined;
  return { append, refused, effective, renewed: wasBlocked && effective.marketing };
}

function latestBlock(a: Block | undefined, b: Block | undefined): Block | undefined {
  if (!a) return b;
  if (!b) return a;
  const diff = Date.parse(a.at) - Date.parse(b.at);
  if (diff !== 0) return diff > 0 ? a : b;
  // The same withdrawal seen twice (the history and the address's suppression entry): both lists count.
  const grantSources =
    a.grantSources && b.grantSources ? [...new Set([...a.grantSources, ...b.grantSources])] : undefined;
  return { at: a.at, grantSources, why: b.why };
}
