import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pacer } from '../../lambdas/core/pacer.js';
import {
  breakerGate,
  canMove,
  DEFAULT_DELIVERABILITY,
  DELIVERY_RANK,
  DeliveryState,
  fullJitter,
  judgeRates,
} from '../../lambdas/core/send-protocol.js';

describe('delivery states', () => {
  it('only ever move up: whatever order events arrive in, the final state is the highest one seen', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...DeliveryState.options), { maxLength: 12 }), (events) => {
        let state: DeliveryState | undefined;
        for (const next of events) if (canMove(state, next)) state = next;
        if (events.length === 0) return state === undefined;
        const highest = Math.max(...events.map((e) => DELIVERY_RANK[e]));
        return state !== undefined && DELIVERY_RANK[state] === highest;
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('never turns a complaint back into sent, and never lets a late "dropped" hide a sent mail', () => {
    expect(canMove('complained', 'sent')).toBe(false);
    expect(canMove('complained', 'bounced')).toBe(false);
    expect(canMove('sent', 'dropped')).toBe(false);
    expect(canMove('unknown', 'sent')).toBe(true);
    expect(canMove('sent', 'sent')).toBe(false);
  });
});

describe('judgeRates', () => {
  const policy = { ...DEFAULT_DELIVERABILITY, minSends: 100 };

  it('pauses at a 4 % bounce rate and not just below it', () => {
    expect(judgeRates({ sent: 1000, bounced: 39, complained: 0 }, policy).pause).toBe(false);
    const verdict = judgeRates({ sent: 1000, bounced: 40, complained: 0 }, policy);
    expect(verdict).toMatchObject({ pause: true, reason: 'bounce-rate' });
    if (verdict.pause) expect(verdict.message).toContain('4.00 %');
  });

  it('pauses at a 0.08 % complaint rate, before SES reviews at 0.1 %', () => {
    expect(judgeRates({ sent: 10_000, bounced: 0, complained: 7 }, policy).pause).toBe(false);
    expect(judgeRates({ sent: 10_000, bounced: 0, complained: 8 }, policy)).toMatchObject({
      pause: true,
      reason: 'complaint-rate',
    });
  });

  it('does not pause on too few sends to judge', () => {
    expect(judgeRates({ sent: 99, bounced: 50, complained: 5 }, policy).pause).toBe(false);
  });
});

describe('breakerGate', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  it('lets mail through a closed or missing breaker, holds it at an open one, and probes after probeAfter', () => {
    expect(breakerGate(undefined, now)).toBe('closed');
    expect(breakerGate({ state: 'closed', reason: 'x', openedAt: now.toISOString() }, now)).toBe('closed');
    expect(breakerGate({ state: 'open', reason: 'bounce-rate', openedAt: now.toISOString() }, now)).toBe('open');
    const probing = {
      state: 'open' as const,
      reason: 'ses-sending-paused',
      openedAt: now.toISOString(),
      probeAfter: '2026-11-23T10:05:00Z',
    };
    expect(breakerGate(probing, now)).toBe('open');
    expect(breakerGate(probing, new Date('2026-11-23T10:05:00Z'))).toBe('probe');
  });
});

describe('fullJitter', () => {
  it('stays within [0, min(cap, base·2^attempt)]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const wait = fullJitter(attempt, 100, 5000, () => r);
        return wait >= 0 && wait <= Math.min(5000, 100 * 2 ** attempt);
      }),
      { seed: 11 },
    );
  });
});

describe('Pacer', () => {
  it('spaces sends 1/rate apart, so no one-second window holds more than the rate', async () => {
    let t = 0;
    const pacer = new Pacer(
      20,
      () => t,
      async (ms) => {
        t += ms;
      },
    );
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      await pacer.take();
      times.push(t);
    }
    for (const start of times)
      expect(times.filter((x) => x >= start && x < start + 1000).length).toBeLessThanOrEqual(20);
    expect(times.at(-1)).toBe(99 * 50);
  });

  it('refuses a rate that is not above zero', () => {
    expect(() => new Pacer(0)).toThrow(/above 0/);
  });
});
