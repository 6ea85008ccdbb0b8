import { z } from 'zod';
import { ClubPlannerError } from './errors.js';
import { DAY_MS } from './units.js';

const SECOND_MS = 1_000;

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const ClockTime = z.string().regex(HH_MM, 'use a 24-hour time as HH:MM, such as 21:00');

/**
 * The local wall-clock hours in which marketing mail waits: from `start` up to, not including, `end`.
 * The window wraps midnight when `start` is after `end`; `start === end` means no quiet hours.
 */
export const QuietHours = z.object({ start: ClockTime, end: ClockTime });
export type QuietHours = z.infer<typeof QuietHours>;

/** The product's default: no marketing mail from 21:00 until 08:00 in the member's time zone. */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

/** An IANA time zone name that this runtime's `Intl` knows, such as Europe/Stockholm. */
export const TimeZone = z.string().refine(isTimeZone, 'use an IANA time zone such as Europe/Stockholm');
export type TimeZone = z.infer<typeof TimeZone>;

/**
 * Zone names found valid, so parsing a member does not build a formatter each time (it was a sixth of
 * the explorer's time: docs/decisions/0055-nps-day-roll-up.md). Bounded: hostile input cannot grow it.
 */
const knownZones = new Set<string>();
const MAX_KNOWN_ZONES = 1000;

function isTimeZone(name: string): boolean {
  if (knownZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    if (knownZones.size < MAX_KNOWN_ZONES) knownZones.add(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * If `at` falls inside the quiet window in `timeZone`, the first instant at or after `at` when it ends;
 * otherwise undefined. `timeZone` must already have passed `TimeZone` (Intl throws a RangeError otherwise).
 *
 * Across clock changes the window is read on the wall clock, so a night can be an hour shorter or longer:
 * - When the local end time does not exist (spring forward: "02:30" on the night clocks jump 02:00 → 03:00),
 *   the window ends at the first instant after the gap, the moment the clock reads 03:00.
 * - When it exists twice (fall back), the window ends at the earlier one, unless `at` is already past it
 *   (a mail stamped in the repeated hour), in which case the later one.
 * - If the whole sendable part of the day falls into a gap, the mail waits for the next day's end.
 */
export function quietUntil(at: Date, timeZone: string, quiet: QuietHours): Date | undefined {
  const start = secondsOfDay(quiet.start);
  const end = secondsOfDay(quiet.end);
  const t = at.getTime();
  const wall = wallClock(t, timeZone);
  if (!isQuiet(wall, start, end)) return undefined;

  // Past `start` in a window that wraps midnight means the window ends tomorrow; otherwise it ends today.
  const day = start > end && wallSeconds(wall) >= start ? addDays(wall, 1) : wall;
  const until = wallToUtc(
    { ...day, hour: Math.floor(end / 3600), minute: Math.floor(end / 60) % 60, second: 0 },
    timeZone,
    t,
  );

  return isQuiet(wallClock(until, timeZone), start, end)
    ? quietUntil(new Date(until), timeZone, quiet)
    : new Date(until);
}

/**
 * The instant a local date and wall-clock time ('YYYY-MM-DD', 'HH:MM') happen in `timeZone`: the earlier one
 * when the time happens twice (fall back), the first instant after the gap when it is skipped (spring forward).
 */
export function atLocalTime(date: string, time: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const seconds = secondsOfDay(time);
  const wall: WallTime = {
    year: year ?? 1970,
    month: month ?? 1,
    day: day ?? 1,
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: 0,
  };
  return new Date(wallToUtc(wall, timeZone, wallAsUtc(wall) - 2 * DAY_MS));
}

/** The local calendar date, 'YYYY-MM-DD', of an instant in `timeZone`. */
export function localDateOf(at: Date, timeZone: string): string {
  const wall = wallClock(at.getTime(), timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(wall.year).padStart(4, '0')}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** When a mail due at `at` may go: `at` itself outside quiet hours, else when they end. */
export function nextSendableAt(at: Date, timeZone: string, quiet: QuietHours): Date {
  return quietUntil(at, timeZone, quiet) ?? at;
}

/** A wall-clock reading in some time zone (shared with audience rules' relative dates, core/local-days.ts). */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function secondsOfDay(clock: string): number {
  const match = HH_MM.exec(clock);
  if (match === null) throw new RangeError(`quiet hours must be HH:MM, got "${clock}"`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60;
}

function wallSeconds(wall: WallTime): number {
  return wall.hour * 3600 + wall.minute * 60 + wall.second;
}

function isQuiet(wall: WallTime, start: number, end: number): boolean {
  const s = wallSeconds(wall);
  if (start === end) return false;
  return start < end ? s >= start && s < end : s >= start || s < end;
}

export function addDays(wall: WallTime, days: number): WallTime {
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

// Building a formatter is far slower than using one, and a planning run meets few zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached !== undefined) return cached;
  const created = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  formatters.set(timeZone, created);
  return created;
}

export function wallClock(ms: number, timeZone: string): WallTime {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes): number => {
    const found = parts.find((p) => p.type === type);
    if (found === undefined) throw new ClubPlannerError(`Intl.DateTimeFormat gave no ${type} for ${timeZone}`);
    return Number(found.value);
  };
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

/** The wall time read as if it were UTC: the instant plus the zone's offset. */
function wallAsUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** The zone's offset from UTC at an instant, in milliseconds (whole seconds: Intl reads no finer). */
function offsetAt(ms: number, timeZone: string): number {
  return wallAsUtc(wallClock(ms, timeZone)) - Math.floor(ms / SECOND_MS) * SECOND_MS;
}

/**
 * The earliest instant at or after `notBefore` whose wall clock in `timeZone` reads `wall`,
 * or the first instant after the gap when `wall` is skipped by a spring-forward change.
 */
export function wallToUtc(wall: WallTime, timeZone: string, notBefore: number): number {
  const local = wallAsUtc(wall);
  // Guess with the offset in force a day either side: near a change they differ, and one of them,
  // both (an ambiguous fall-back time) or neither (a skipped spring-forward time) reads back as `wall`.
  // No real zone changes its offset twice within two days.
  const before = offsetAt(local - DAY_MS, timeZone);
  const after = offsetAt(local + DAY_MS, timeZone);
  const exact = [local - before, local - after].filter((utc) => utc + offsetAt(utc, timeZone) === local);
  if (exact.length > 0) {
    const onTime = exact.filter((utc) => utc >= notBefore);
    if (onTime.length === 0)
      throw new ClubPlannerError(
        `no instant reads ${JSON.stringify(wall)} in ${timeZone} after ${new Date(notBefore).toISOString()}`,
      );
    return Math.min(...onTime);
  }
  if (after <= before)
    throw new ClubPlannerError(`${JSON.stringify(wall)} in ${timeZone} neither exists nor falls into a gap`);

  // A gap: the change happens after `local - after` (still the old offset) and by `local - before`
  // (already the new one). Offsets change on whole seconds, so bisect to the second.
  let lo = local - after;
  let hi = local - before;
  while (hi - lo > SECOND_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS;
    if (offsetAt(mid, timeZone) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}
