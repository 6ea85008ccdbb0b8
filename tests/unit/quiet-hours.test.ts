import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUIET_HOURS,
  nextSendableAt,
  type QuietHours,
  QuietHours as QuietHoursSchema,
  quietUntil,
  TimeZone,
} from '../../lambdas/core/quiet-hours.js';

const HOUR_MS = 3_600_000;
const NIGHT: QuietHours = DEFAULT_QUIET_HOURS;
const LUNCH: QuietHours = { start: '12:00', end: '13:00' };
const ZONES = ['Europe/Stockholm', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'] as const;

const utc = (iso: string) => new Date(iso);
const until = (at: string, timeZone: string, quiet: QuietHours = NIGHT) =>
  quietUntil(utc(at), timeZone, quiet)?.toISOString();

/** The wall clock as "HH:MM:SS", read independently of the module under test. */
function localClock(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(at);
}

function isQuietOnTheWallClock(at: Date, timeZone: string, quiet: QuietHours): boolean {
  const clock = localClock(at, timeZone);
  const start = `${quiet.start}:00`;
  const end = `${quiet.end}:00`;
  if (start === end) return false;
  return start < end ? clock >= start && clock < end : clock >= start || clock < end;
}

describe('quietUntil in Europe/Stockholm', () => {
  it('holds a mail due at 23:30 in winter until 08:00 the next morning', () => {
    expect(until('2026-01-15T22:30:00Z', 'Europe/Stockholm')).toBe('2026-01-16T07:00:00.000Z');
  });

  it('holds a mail due at 23:30 in summer until 08:00 the next morning', () => {
    expect(until('2026-07-15T21:30:00Z', 'Europe/Stockholm')).toBe('2026-07-16T06:00:00.000Z');
  });

  it('holds a mail due at 07:59 until 08:00 the same morning', () => {
    expect(until('2026-01-15T06:59:00Z', 'Europe/Stockholm')).toBe('2026-01-15T07:00:00.000Z');
  });

  it('holds a mail due at 21:00 sharp', () => {
    expect(until('2026-01-15T20:00:00Z', 'Europe/Stockholm')).toBe('2026-01-16T07:00:00.000Z');
  });

  it('holds a mail due half a second before 08:00', () => {
    expect(until('2026-01-15T06:59:59.500Z', 'Europe/Stockholm')).toBe('2026-01-15T07:00:00.000Z');
  });

  it('sends a mail due at 08:00 sharp', () => {
    expect(until('2026-01-15T07:00:00Z', 'Europe/Stockholm')).toBeUndefined();
  });

  it('sends a mail due at 20:59', () => {
    expect(until('2026-01-15T19:59:00Z', 'Europe/Stockholm')).toBeUndefined();
  });
});

describe('quietUntil in other zones', () => {
  it('holds a mail due at 23:30 in New York in winter until 08:00 EST', () => {
    expect(until('2026-01-16T04:30:00Z', 'America/New_York')).toBe('2026-01-16T13:00:00.000Z');
  });

  it('holds a mail due at 23:30 in New York in summer until 08:00 EDT', () => {
    expect(until('2026-07-16T03:30:00Z', 'America/New_York')).toBe('2026-07-16T12:00:00.000Z');
  });

  it('holds a mail due at 23:30 in Tokyo, which has no daylight saving time, until 08:00 JST', () => {
    expect(until('2026-01-15T14:30:00Z', 'Asia/Tokyo')).toBe('2026-01-15T23:00:00.000Z');
    expect(until('2026-07-15T14:30:00Z', 'Asia/Tokyo')).toBe('2026-07-15T23:00:00.000Z');
  });

  it('holds a mail due at 23:30 in Sydney in the southern summer until 08:00 AEDT', () => {
    expect(until('2026-01-15T12:30:00Z', 'Australia/Sydney')).toBe('2026-01-15T21:00:00.000Z');
  });

  it('holds a mail due at 23:30 in Sydney in the southern winter until 08:00 AEST', () => {
    expect(until('2026-07-15T13:30:00Z', 'Australia/Sydney')).toBe('2026-07-15T22:00:00.000Z');
  });

  it('ends a Sydney night at 08:00 AEDT when the clocks spring forward on 2026-10-04', () => {
    expect(until('2026-10-03T13:30:00Z', 'Australia/Sydney')).toBe('2026-10-03T21:00:00.000Z');
  });
});

describe('quietUntil with a window that does not wrap midnight', () => {
  it('holds a mail due inside the window until it ends', () => {
    expect(until('2026-01-15T11:30:00Z', 'Europe/Stockholm', LUNCH)).toBe('2026-01-15T12:00:00.000Z');
  });

  it('sends a mail due just before, at the end of, or long after the window', () => {
    expect(until('2026-01-15T10:59:00Z', 'Europe/Stockholm', LUNCH)).toBeUndefined();
    expect(until('2026-01-15T12:00:00Z', 'Europe/Stockholm', LUNCH)).toBeUndefined();
    expect(until('2026-01-15T22:30:00Z', 'Europe/Stockholm', LUNCH)).toBeUndefined();
  });
});

describe('quietUntil with start equal to end', () => {
  it('never holds a mail', () => {
    const none: QuietHours = { start: '08:00', end: '08:00' };
    for (let hour = 0; hour < 24; hour += 1) {
      const at = new Date(Date.UTC(2026, 0, 15, hour, 30));
      expect(quietUntil(at, 'Europe/Stockholm', none)).toBeUndefined();
      expect(nextSendableAt(at, 'Europe/Stockholm', none)).toEqual(at);
    }
  });
});

describe('quietUntil across the clock changes in Europe/Stockholm', () => {
  it('ends the spring-forward night of 2026-03-29 at 08:00 CEST, an hour shorter in real time', () => {
    expect(until('2026-03-28T22:30:00Z', 'Europe/Stockholm')).toBe('2026-03-29T06:00:00.000Z');
  });

  it('ends the fall-back night of 2026-10-25 at 08:00 CET, an hour longer in real time', () => {
    expect(until('2026-10-24T21:30:00Z', 'Europe/Stockholm')).toBe('2026-10-25T07:00:00.000Z');
  });

  it('ends at the first instant after the gap when the end time is skipped by spring forward', () => {
    const quiet: QuietHours = { start: '21:00', end: '02:30' };
    // 02:30 never happens on 2026-03-29: the clock reads 01:59:59 CET, then 03:00:00 CEST at 01:00Z.
    expect(until('2026-03-28T22:30:00Z', 'Europe/Stockholm', quiet)).toBe('2026-03-29T01:00:00.000Z');
    expect(until('2026-03-29T00:59:59Z', 'Europe/Stockholm', quiet)).toBe('2026-03-29T01:00:00.000Z');
  });

  it('ends at the earlier of the two instants when the end time repeats after fall back', () => {
    const quiet: QuietHours = { start: '21:00', end: '02:30' };
    // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    expect(until('2026-10-24T21:30:00Z', 'Europe/Stockholm', quiet)).toBe('2026-10-25T00:30:00.000Z');
  });

  it('holds a mail due in the repeated hour until the end time comes round again', () => {
    const quiet: QuietHours = { start: '02:00', end: '02:30' };
    expect(until('2026-10-25T00:15:00Z', 'Europe/Stockholm', quiet)).toBe('2026-10-25T00:30:00.000Z');
    expect(until('2026-10-25T00:45:00Z', 'Europe/Stockholm', quiet)).toBeUndefined();
    expect(until('2026-10-25T01:15:00Z', 'Europe/Stockholm', quiet)).toBe('2026-10-25T01:30:00.000Z');
  });

  it('waits for the next day when the whole sendable slot falls into the spring-forward gap', () => {
    const quiet: QuietHours = { start: '02:40', end: '02:20' };
    // Sendable only 02:20–02:40, which 2026-03-29 skips; the next chance is 02:20 CEST on 2026-03-30.
    expect(until('2026-03-29T00:00:00Z', 'Europe/Stockholm', quiet)).toBe('2026-03-30T00:20:00.000Z');
  });
});

describe('nextSendableAt', () => {
  it('is the due time itself outside quiet hours', () => {
    const at = utc('2026-01-15T09:15:00Z');
    expect(nextSendableAt(at, 'Europe/Stockholm', NIGHT)).toEqual(at);
  });

  it('is the end of quiet hours inside them', () => {
    expect(nextSendableAt(utc('2026-01-15T22:30:00Z'), 'Europe/Stockholm', NIGHT).toISOString()).toBe(
      '2026-01-16T07:00:00.000Z',
    );
  });
});

describe('the schemas', () => {
  it('accept the default quiet hours and an IANA zone', () => {
    expect(QuietHoursSchema.parse(DEFAULT_QUIET_HOURS)).toEqual({ start: '21:00', end: '08:00' });
    expect(TimeZone.parse('Europe/Stockholm')).toBe('Europe/Stockholm');
  });

  it('reject a zone Intl does not know, with a hint', () => {
    for (const zone of ['Mars/Olympus', 'CEST', '']) {
      const result = TimeZone.safeParse(zone);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('use an IANA time zone such as Europe/Stockholm');
    }
  });

  it('reject a time that is not 24-hour HH:MM, with a hint', () => {
    for (const start of ['9:00', '24:00', '21:60', '21.00', '21:00:00', '']) {
      const result = QuietHoursSchema.safeParse({ start, end: '08:00' });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({
        path: ['start'],
        message: 'use a 24-hour time as HH:MM, such as 21:00',
      });
    }
  });
});

describe('nextSendableAt properties', () => {
  // 2026 clock changes in the zones under test, to put many instants near them.
  const changes = [
    '2026-03-29T01:00:00Z',
    '2026-10-25T01:00:00Z',
    '2026-03-08T07:00:00Z',
    '2026-11-01T06:00:00Z',
    '2026-04-04T16:00:00Z',
    '2026-10-03T16:00:00Z',
  ].map((iso) => Date.parse(iso));
  const instant = fc.oneof(
    fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }),
    fc
      .tuple(fc.constantFrom(...changes), fc.integer({ min: -36 * HOUR_MS, max: 36 * HOUR_MS }))
      .map(([change, delta]) => new Date(change + delta)),
  );
  const clock = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const zone = fc.constantFrom(...ZONES);

  it('is never before the due time, never quiet, and less than 24 hours later with the default quiet hours', () => {
    fc.assert(
      fc.property(instant, zone, (at, timeZone) => {
        const next = nextSendableAt(at, timeZone, NIGHT);
        expect(next.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(isQuietOnTheWallClock(next, timeZone, NIGHT)).toBe(false);
        expect(next.getTime() - at.getTime()).toBeLessThan(24 * HOUR_MS);
      }),
      { numRuns: 2_000 },
    );
  });

  it('is the first sendable instant for any quiet hours', () => {
    fc.assert(
      fc.property(instant, zone, clock, clock, (at, timeZone, start, end) => {
        const quiet: QuietHours = { start, end };
        const next = nextSendableAt(at, timeZone, quiet);
        expect(next.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(isQuietOnTheWallClock(next, timeZone, quiet)).toBe(false);
        if (next.getTime() > at.getTime()) {
          expect(isQuietOnTheWallClock(new Date(next.getTime() - 1), timeZone, quiet)).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
