import { z } from 'zod';

/**
 * Name days (Swedish namnsdag): which first names have their day on which date.
 *
 * The calendar is data the club supplies (`PUT /api/clubs/:club` → `nameDays`), not something we
 * ship: the Swedish list (Svenska Akademiens namnlängd) is the Academy's protected work, and a club
 * that wants name-day mail licenses it. This module only looks names up in a given calendar.
 */
export const NameDayCalendar = z
  .record(
    z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'use MM-DD'),
    z.array(z.string().min(1).max(40)).max(10),
  )
  .refine((calendar) => Object.keys(calendar).length <= 366, 'at most 366 days')
  .superRefine((calendar, ctx) => {
    try {
      indexNameDays(calendar);
    } catch (error: unknown) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  });
export type NameDayCalendar = z.infer<typeof NameDayCalendar>;

/**
 * Spellings the almanac leaves out but whose bearers keep the listed name's day (Carl celebrates with Karl).
 * Our own small choice, not the almanac's: extend it only with plain spelling variants.
 */
const SPELLING_VARIANTS: Readonly<Record<string, string>> = {
  carl: 'karl',
  gustaf: 'gustav',
  eric: 'erik',
  christina: 'kristina',
  christian: 'kristian',
  christoffer: 'kristoffer',
  catharina: 'katarina',
};

function exactKey(name: string): string {
  return name.normalize('NFC').trim().toLocaleLowerCase('sv');
}

/** Without accents or diacritics, so "Andre" finds André and "Desiree" finds Desirée. */
function foldedKey(name: string): string {
  return exactKey(name).normalize('NFD').replace(/\p{M}/gu, '');
}

/** A calendar indexed for lookups; build once per club. */
export interface NameDayIndex {
  readonly byExactName: ReadonlyMap<string, string>;
  readonly byFoldedName: ReadonlyMap<string, ReadonlySet<string>>;
}

export function indexNameDays(calendar: Readonly<Record<string, readonly string[]>>): NameDayIndex {
  const byExactName = new Map<string, string>();
  const byFoldedName = new Map<string, Set<string>>();
  for (const [monthDay, names] of Object.entries(calendar)) {
    for (const name of names) {
      const exact = exactKey(name);
      const earlier = byExactName.get(exact);
      if (earlier !== undefined)
        throw new RangeError(`the name-day calendar lists ${name} on both ${earlier} and ${monthDay}`);
      byExactName.set(exact, monthDay);
      const folded = foldedKey(name);
      byFoldedName.set(folded, (byFoldedName.get(folded) ?? new Set<string>()).add(monthDay));
    }
  }
  return { byExactName, byFoldedName };
}

/**
 * The month and day ('MM-DD') of the name day of the first given name in `firstName`, or undefined when the
 * calendar has none. Case never matters. Accents only matter when they tell two listed names apart:
 * Märta (11 May) and Marta (27 Jul) keep their own days, while "Andre" finds André. A hyphenated name
 * (Anna-Karin) is one name and has no day of its own.
 */
export function nameDayOf(index: NameDayIndex, firstName: string): string | undefined {
  const first = exactKey(firstName).split(/\s+/)[0] ?? '';
  const name = SPELLING_VARIANTS[first] ?? first;
  const exact = index.byExactName.get(name);
  if (exact !== undefined) return exact;
  const folded = index.byFoldedName.get(foldedKey(name));
  if (folded === undefined || folded.size !== 1) return undefined;
  return [...folded][0];
}

/** The name day of `firstName` in `year` as 'YYYY-MM-DD', or undefined when the calendar has none. */
export function nameDayIn(index: NameDayIndex, firstName: string, year: number): string | undefined {
  if (!Number.isInteger(year) || year < 1 || year > 9999)
    throw new RangeError(`year must be an integer from 1 to 9999, got ${year}`);
  const monthDay = nameDayOf(index, firstName);
  return monthDay === undefined ? undefined : `${String(year).padStart(4, '0')}-${monthDay}`;
}
