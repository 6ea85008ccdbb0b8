/**
 * Calendar days as audience rules read them (docs/decisions/0039-audiences.md): "within N days" of an
 * instant is after the same wall-clock time N days ago in the member's time zone, so a weekly campaign
 * at 09:00 covers every instant exactly once, also across a change to or from summer time; a date is
 * within N days when it is one of the last N calendar days, today included. Pure; the clock caches its
 * per-zone answers, because a plan meets a few zones and many members.
 */
import { addDays, wallClock, wallToUtc } from './quiet-hours.js';
import { DAY_MS } from './units.js';

/** Days since 1970-01-01 of a `YYYY-MM-DD` date (also the date part of an ISO date-time). */
export function epochDay(date: string): number {
  return Math.floor(
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS,
  );
}

/** The `YYYY-MM-DD` of an epoch day. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

interface ZoneNow {
  readonly today: number;
  readonly month: number;
  readonly year: number;
  readonly starts: Map<number, number>;
}

/** "Now" in every time zone a plan meets, computed once per zone. */
export class LocalCalendar {
  private readonly zones = new Map<string, ZoneNow>();
  readonly nowMs: number;

  constructor(readonly now: Date) {
    this.nowMs = now.getTime();
  }

  private zone(timeZone: string): ZoneNow {
    let zone = this.zones.get(timeZone);
    if (!zone) {
      const wall = wallClock(this.nowMs, timeZone);
      zone = {
        today: Math.floor(Date.UTC(wall.year, wall.month - 1, wall.day) / DAY_MS),
        month: wall.month,
        year: wall.year,
        starts: new Map(),
      };
      this.zones.set(timeZone, zone);
    }
    return zone;
  }

  /** Today's epoch day in the zone. */
  today(timeZone: string): number {
    return this.zone(timeZone).today;
  }

  /** This month (1–12) and year in the zone. */
  month(timeZone: string): { month: number; year: number } {
    const zone = this.zone(timeZone);
    return { month: zone.month, year: zone.year };
  }

  /**
   * The instant N days ago at this same wall-clock time in the zone (epoch ms). When that time was
   * skipped (spring forward) it is the first instant after the gap; when it happened twice, the earlier.
   */
  daysAgo(timeZone: string, days: number): number {
    const zone = this.zone(timeZone);
    let start = zone.starts.get(days);
    if (start === undefined) {
      const wall = wallClock(this.nowMs, timeZone);
      start = wallToUtc(addDays(wall, -days), timeZone, Number.NEGATIVE_INFINITY);
      zone.starts.set(days, start);
    }
    return start;
  }

  /** The epoch day an instant falls on in the zone. */
  localDay(instantMs: number, timeZone: string): number {
    const wall = wallClock(instantMs, timeZone);
    return Math.floor(Date.UTC(wall.year, wall.month - 1, wall.day) / DAY_MS);
  }
}

/** How a relative-date condition reads: within the last N days, or N days ago or longer. */
export interface Relative {
  readonly withinDays?: number | undefined;
  readonly atLeastDaysAgo?: number | undefined;
}

/** An instant against "within N days" / "at least N days ago", in the zone. */
export function instantMatches(at: number, relative: Relative, calendar: LocalCalendar, timeZone: string): boolean {
  if (relative.withinDays !== undefined) {
    return at > calendar.daysAgo(timeZone, relative.withinDays) && at <= calendar.nowMs;
  }
  if (relative.atLeastDaysAgo !== undefined) return at <= calendar.daysAgo(timeZone, relative.atLeastDaysAgo);
  return false;
}

/** A calendar day against "within N days" (the last N days, today included) / "at least N days ago". */
export function dayMatches(day: number, relative: Relative, today: number): boolean {
  if (relative.withinDays !== undefined) return day > today - relative.withinDays && day <= today;
  if (relative.atLeastDaysAgo !== undefined) return day <= today - relative.atLeastDaysAgo;
  return false;
}
