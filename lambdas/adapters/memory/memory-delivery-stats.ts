import type { BreakerScope, DeliveryStats, SendCounter, SendingSwitch } from '../../core/ports.js';
import type { Breaker, SendCounts } from '../../core/send-protocol.js';
import { copy, keyOf } from './memory-table.js';

/** SEND evidence and counters in Maps: the in-memory twin of DynamoDbDeliveryStats. */
export class MemoryDeliveryStats implements DeliveryStats {
  /** messageId and SES's time of each logged send, under keyOf(club, sendId). */
  private readonly sends = new Map<string, Array<{ messageId: string; at: number }>>();
  /** The club's counters by day, under the club id. */
  private readonly daily = new Map<string, Map<string, Partial<Record<SendCounter, number>>>>();
  /** A campaign's counters, under keyOf(club, campaign). */
  private readonly campaigns = new Map<string, Partial<Record<SendCounter, number>>>();

  async logSends(
    clubId: string,
    sends: ReadonlyArray<{ readonly sendId: string; readonly messageId: string; readonly mailAt: string }>,
  ): Promise<void> {
    for (const send of sends) {
      const key = keyOf(clubId, send.sendId);
      this.sends.set(key, [...(this.sends.get(key) ?? []), { messageId: send.messageId, at: Date.parse(send.mailAt) }]);
    }
  }

  /** The table groups evidence by the minute SES took the mail: so does this, from `from`'s minute on. */
  async findSend(clubId: string, sendId: string, from: Date, to: Date): Promise<string | undefined> {
    const fromMinute = Math.floor(from.getTime() / 60_000) * 60_000;
    const toMinute = Math.floor(to.getTime() / 60_000) * 60_000 + 60_000;
    return this.sends.get(keyOf(clubId, sendId))?.find((s) => s.at >= fromMinute && s.at < toMinute)?.messageId;
  }

  async add(
    clubId: string,
    day: string,
    campaignId: string | undefined,
    counts: Partial<Record<SendCounter, number>>,
  ): Promise<void> {
    const days = this.daily.get(clubId) ?? new Map<string, Partial<Record<SendCounter, number>>>();
    this.daily.set(clubId, days);
    days.set(day, added(days.get(day), counts));
    if (campaignId)
      this.campaigns.set(keyOf(clubId, campaignId), added(this.campaigns.get(keyOf(clubId, campaignId)), counts));
  }

  async clubCounts(clubId: string, fromDay: string, toDay: string): Promise<SendCounts> {
    const total = { sent: 0, bounced: 0, complained: 0 };
    for (const [day, counts] of this.daily.get(clubId) ?? []) {
      if (day < fromDay || day > toDay) continue;
      total.sent += counts.sent ?? 0;
      total.bounced += counts.bounced ?? 0;
      total.complained += counts.complained ?? 0;
    }
    return total;
  }

  async campaignCounts(clubId: string, campaignId: string): Promise<Partial<Record<SendCounter, number>>> {
    return { ...this.campaigns.get(keyOf(clubId, campaignId)) };
  }
}

const COUNTERS: readonly SendCounter[] = [
  'sent',
  'delivered',
  'delayed',
  'bounced',
  'softBounced',
  'complained',
  'rejected',
  'renderingFailed',
];

/** Counters with `counts` added (ADD of only the positive ones, as the table's adapter does). */
function added(
  stored: Partial<Record<SendCounter, number>> | undefined,
  counts: Partial<Record<SendCounter, number>>,
): Partial<Record<SendCounter, number>> {
  const next = { ...stored };
  for (const name of COUNTERS) {
    const n = counts[name];
    if (n !== undefined && n > 0) next[name] = (next[name] ?? 0) + n;
  }
  return next;
}

const scopeKey = (scope: BreakerScope) => (scope.kind === 'account' ? 'account' : keyOf('club', scope.clubId));

/** The circuit breakers in a Map: the in-memory twin of DynamoDbSendingSwitch. */
export class MemorySendingSwitch implements SendingSwitch {
  private readonly breakers = new Map<string, Breaker>();

  async read(clubId: string): Promise<{ account?: Breaker; club?: Breaker }> {
    const account = this.breakers.get('account');
    const club = this.breakers.get(keyOf('club', clubId));
    return copy({ ...(account ? { account } : {}), ...(club ? { club } : {}) });
  }

  async open(scope: BreakerScope, breaker: Breaker): Promise<boolean> {
    const stored = this.breakers.get(scopeKey(scope));
    // A breaker opened by a club's rates (no probe time) stays until a person closes it.
    if (stored && stored.state !== 'closed' && stored.probeAfter === undefined) return false;
    this.breakers.set(scopeKey(scope), copy(breaker));
    return true;
  }

  async close(
    scope: BreakerScope,
    at: Date,
    by: string,
    options: { readonly probing?: boolean } = {},
  ): Promise<boolean> {
    const stored = this.breakers.get(scopeKey(scope));
    if (stored?.state !== 'open') return false;
    if (options.probing && stored.probeAfter === undefined) return false;
    this.breakers.set(scopeKey(scope), { ...stored, state: 'closed', closedAt: at.toISOString(), closedBy: by });
    return true;
  }
}
