import type { Club } from './model.js';
import { DAY_MS, MINUTE_MS } from './units.js';

/**
 * Wall-clock time in a club's time zone, for people: the console shows send times and days in the
 * club's zone and takes a local date and time back. Instants stay UTC everywhere else.
 */

/** The zone a club plans in: its own, or its language's country (Swedish Stockholm, Danish Copenhagen). */
export function clubTimeZone(club: Pick<Club, 'timeZone' | 'language'>): string {
  if (club.timeZone) return club.timeZone;
  return club.language === 'da' ? 'Europe/Copenhagen' : club.language === 'en' ? 'Europe/London' : 'Europe/Stockholm';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** `YYYY-MM-DDTHH:mm`: the instant on the zone's wall clock (what an `<input type="datetime-local">` holds). */
export function toLocalDateTime(at: Date | string, timeZone: string): string {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(typeof at === 'string' ? new Date(at) : at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** `YYYY-MM-DD`: the instant's date in the zone. */
export function toLocalDate(at: Date | string, timeZone: string): string {
  return toLocalDateTime(at, timeZone).slice(0, 10);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * The instant whose wall clock in `timeZone` reads `local` (`YYYY-MM-DDTHH:mm`); undefined when it is
 * malformed. A time skipped by a spring-forward change is read with the offset before the change (02:30
 * becomes 03:30); a time that happens twice is the earlier one.
 */
export function fromLocalDateTime(local: string, timeZone: string): Date | undefined {
  const match = LOCAL.exec(local);
  if (!match) return undefined;
  const [, y, mo, d, h, mi] = match.map(Number);
  if (y === undefined || mo === undefined || d === undefined || h === undefined || mi === undefined) return undefined;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(asUtc) || new Date(asUtc).getUTCDate() !== d || h > 23 || mi > 59) return undefined;
  const offsetAt = (ms: number) => Date.parse(`${toLocalDateTime(new Date(ms), timeZone)}:00Z`) - ms;
  const candidates = [asUtc - offsetAt(asUtc - DAY_MS), asUtc - offsetAt(asUtc + DAY_MS)].sort((a, b) => a - b);
  const exact = candidates.find((t) => toLocalDateTime(new Date(t), timeZone) === local);
  return new Date(exact ?? asUtc - offsetAt(asUtc - DAY_MS));
}

/** The day after a `YYYY-MM-DD` date (calendar arithmetic, no zone). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Monday of the ISO week holding `date`. */
export function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

/** The instant a local day starts in the zone (midnight, or the first minute after a gap). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const start = fromLocalDateTime(`${date}T00:00`, timeZone);
  return start ?? new Date(Date.parse(`${date}T00:00:00Z`) - MINUTE_MS);
}
