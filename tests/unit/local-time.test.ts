import { describe, expect, it } from 'vitest';
import {
  addDays,
  clubTimeZone,
  fromLocalDateTime,
  mondayOf,
  startOfLocalDay,
  toLocalDateTime,
} from '../../lambdas/core/local-time.js';

describe('local time in the club zone', () => {
  it('reads a Stockholm wall-clock time back to UTC in summer and winter', () => {
    expect(fromLocalDateTime('2026-06-19T09:00', 'Europe/Stockholm')?.toISOString()).toBe('2026-06-19T07:00:00.000Z');
    expect(fromLocalDateTime('2026-01-10T09:00', 'Europe/Stockholm')?.toISOString()).toBe('2026-01-10T08:00:00.000Z');
    expect(toLocalDateTime('2026-06-19T07:00:00.000Z', 'Europe/Stockholm')).toBe('2026-06-19T09:00');
  });

  it('moves a time skipped by the spring change forward and takes the earlier of a repeated one', () => {
    // 2026-03-29 02:00 → 03:00 in Stockholm; 2026-10-25 03:00 → 02:00.
    expect(fromLocalDateTime('2026-03-29T02:30', 'Europe/Stockholm')?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(fromLocalDateTime('2026-10-25T02:30', 'Europe/Stockholm')?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('refuses malformed and impossible local times', () => {
    for (const bad of ['2026-02-30T09:00', '2026-06-19 09:00', '2026-06-19T24:00', 'tomorrow'])
      expect(fromLocalDateTime(bad, 'Europe/Stockholm')).toBeUndefined();
  });

  it('knows the club zone from its language when it has none of its own', () => {
    expect(clubTimeZone({ language: 'da' })).toBe('Europe/Copenhagen');
    expect(clubTimeZone({ language: 'sv' })).toBe('Europe/Stockholm');
    expect(clubTimeZone({ language: 'sv', timeZone: 'America/New_York' })).toBe('America/New_York');
  });

  it('finds Mondays, adds days across months and starts days at local midnight', () => {
    expect(mondayOf('2026-03-01')).toBe('2026-02-23');
    expect(mondayOf('2026-03-02')).toBe('2026-03-02');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(startOfLocalDay('2026-06-19', 'Europe/Copenhagen').toISOString()).toBe('2026-06-18T22:00:00.000Z');
  });
});
