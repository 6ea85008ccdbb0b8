import { z } from 'zod';
import { type NameDayIndex, nameDayIn } from './name-days.js';
import { assertNever } from './units.js';

export { indexNameDays, NameDayCalendar, nameDayIn, nameDayOf } from './name-days.js';

/** The countries whose calendars the planner knows. */
export const Country = z.enum(['SE', 'DK']);
export type Country = z.infer<typeof Country>;

/** Days every member of a country shares. */
export const CalendarOccasion = z.enum(['valentines', 'mothers-day', 'fathers-day', 'midsummer', 'christmas']);
export type CalendarOccasion = z.infer<typeof CalendarOccasion>;

/** Days of one member's own. They take priority over calendar occasions and use the budget like any other mail. */
export const PersonalOccasion = z.enum(['birthday', 'membership-anniversary', 'name-day']);
export type PersonalOccasion = z.infer<typeof PersonalOccasion>;

export const Occasion = z.enum([...PersonalOccasion.options, ...CalendarOccasion.options]);
export type Occasion = z.infer<typeof Occasion>;

/** A fact the marketer supplies for an occasion's mail ("Midsummer Eve has been a holiday since 1953"). */
export const FunFact = z.string().trim().min(1).max(280);
export type FunFact = z.infer<typeof FunFact>;

/** A local calendar date, 'YYYY-MM-DD': no time and no time zone. */
export const LocalDate = z.iso.date();
export type LocalDate = z.infer<typeof LocalDate>;

/** A local calendar date as numbers; `month` runs 1–12. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface DatedOccasion<T extends Occasion = Occasion> {
  readonly occasion: T;
  /** 'YYYY-MM-DD' */
  readonly date: string;
}

const SUNDAY = 0;
const FRIDAY = 5;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The date of a calendar occasion in `year` (1–9999, proleptic Gregorian), as 'YYYY-MM-DD'.
 *
 * - Valentine's Day (Alla hjärtans dag, Valentinsdag): 14 February in both countries.
 * - Mother's Day (Mors dag): SE the last Sunday of May; DK the second Sunday of May.
 * - Father's Day (Fars dag): SE the second Sunday of November; DK 5 June, Constitution Day (Grundlovsdag).
 * - Midsummer: SE Midsummer Eve (midsommarafton), the Friday from 19 to 25 June; DK Sankthansaften, 23 June.
 * - Christmas: 24 December, Christmas Eve (julafton, juleaften), the day Scandinavians celebrate.
 */
export function occasionDate(occasion: CalendarOccasion, country: Country, year: number): string {
  checkYear(year);
  switch (occasion) {
    case 'valentines':
      return formatDate({ year, month: 2, day: 14 });
    case 'mothers-day':
      return formatDate({
        year,
        month: 5,
        day: country === 'SE' ? lastWeekday(year, 5, SUNDAY) : nthWeekday(year, 5, SUNDAY, 2),
      });
    case 'fathers-day':
      return country === 'SE'
        ? formatDate({ year, month: 11, day: nthWeekday(year, 11, SUNDAY, 2) })
        : formatDate({ year, month: 6, day: 5 });
    case 'midsummer':
      return formatDate({ year, month: 6, day: country === 'SE' ? firstWeekdayOnOrAfter(year, 6, 19, FRIDAY) : 23 });
    case 'christmas':
      return formatDate({ year, month: 12, day: 24 });
    default:
      return assertNever(occasion);
  }
}

/** Every calendar occasion of `country` from `from` to `to`, both included, earliest first. */
export function calendarOccasionsBetween(
  country: Country,
  from: string | CalendarDate,
  to: string | CalendarDate,
): DatedOccasion<CalendarOccasion>[] {
  const first = toCalendarDate(from);
  const last = toCalendarDate(to);
  const fromIso = formatDate(first);
  const toIso = formatDate(last);
  const found: DatedOccasion<CalendarOccasion>[] = [];
  for (let year = first.year; year <= last.year; year++) {
    for (const occasion of CalendarOccasion.options) {
      const date = occasionDate(occasion, country, year);
      if (date >= fromIso && date <= toIso) found.push({ occasion, date });
    }
  }
  // ISO dates with four-digit years sort as strings; sort() is stable, so a tie keeps the enum's order.
  return found.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * The birthday of someone born on `birthDate` as it falls in `year`. A 29 February birthday falls on
 * 28 February in other years: it stays in February, where the member expects it, rather than 1 March.
 */
export function birthdayIn(birthDate: string | CalendarDate, year: number): string {
  checkYear(year);
  const born = toCalendarDate(birthDate);
  return formatDate(sameDayIn(born, year));
}

/**
 * The membership anniversary in `year` of a member who joined on `joinedDate`, or undefined in the year they
 * joined and before it: an anniversary needs at least one full year. A 29 February join date falls on
 * 28 February in other years, as birthdays do.
 */
export function membershipAnniversaryIn(joinedDate: string | CalendarDate, year: number): string | undefined {
  checkYear(year);
  const joined = toCalendarDate(joinedDate);
  return year <= joined.year ? undefined : formatDate(sameDayIn(joined, year));
}

/**
 * Full years of membership on `onDate`: the count goes up on each anniversary (so on 28 February for a
 * 29 February join date in other years). Zero before the first anniversary and before joining.
 */
export function yearsAsMember(joinedDate: string | CalendarDate, onDate: string | CalendarDate): number {
  const joined = toCalendarDate(joinedDate);
  const on = toCalendarDate(onDate);
  const anniversary = formatDate(sameDayIn(joined, on.year));
  const years = on.year - joined.year - (formatDate(on) < anniversary ? 1 : 0);
  return Math.max(0, years);
}

/** What a member's own occasions are computed from; leave a field out when it is unknown or not chosen. */
export interface MemberDates {
  readonly birthDate?: string | CalendarDate;
  readonly joinedDate?: string | CalendarDate;
  /** Only for members who chose name-day mail: the first name, and the club's name-day calendar. */
  readonly nameDay?: { readonly name: string; readonly calendar: NameDayIndex };
}

/**
 * The occasions that fall on `date` for a member in `country`: personal ones first (they take priority),
 * then calendar ones, each group in its enum's order.
 */
export function occasionsOn(date: string | CalendarDate, country: Country, member: MemberDates = {}): Occasion[] {
  const on = toCalendarDate(date);
  const iso = formatDate(on);
  const personal: PersonalOccasion[] = [];
  if (member.birthDate !== undefined && birthdayIn(member.birthDate, on.year) === iso) personal.push('birthday');
  if (member.joinedDate !== undefined && membershipAnniversaryIn(member.joinedDate, on.year) === iso)
    personal.push('membership-anniversary');
  if (member.nameDay !== undefined && nameDayIn(member.nameDay.calendar, member.nameDay.name, on.year) === iso)
    personal.push('name-day');
  const calendar = CalendarOccasion.options.filter((occasion) => occasionDate(occasion, country, on.year) === iso);
  return [...personal, ...calendar];
}

/** Whether an occasion is a member's own, which outranks the calendar's. */
export function isPersonalOccasion(occasion: Occasion): occasion is PersonalOccasion {
  return PersonalOccasion.safeParse(occasion).success;
}

/** Reads a 'YYYY-MM-DD' string (or checks a CalendarDate) and throws a RangeError unless it is a real date. */
export function toCalendarDate(date: string | CalendarDate): CalendarDate {
  if (typeof date !== 'string') {
    checkCalendarDate(date);
    return date;
  }
  const match = ISO_DATE.exec(date);
  if (match === null) throw new RangeError(`a date must be YYYY-MM-DD, got "${date}"`);
  const parsed = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  checkCalendarDate(parsed);
  return parsed;
}

/** 'YYYY-MM-DD' for a calendar date. */
export function formatDate(date: CalendarDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** 0 for Sunday up to 6 for Saturday, by Sakamoto's method: integer arithmetic, no Date and no time zone. */
export function weekday(date: CalendarDate): number {
  const offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
  const y = date.month < 3 ? date.year - 1 : date.year;
  const offset = offsets[date.month - 1] ?? 0;
  return (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + offset + date.day) % 7;
}

/** The same month and day in `year`, with 29 February becoming 28 February outside leap years. */
function sameDayIn(date: CalendarDate, year: number): CalendarDate {
  const day = date.month === 2 && date.day === 29 && !isLeapYear(year) ? 28 : date.day;
  return { year, month: date.month, day };
}

function firstWeekdayOnOrAfter(year: number, month: number, day: number, wanted: number): number {
  return day + ((wanted - weekday({ year, month, day }) + 7) % 7);
}

function nthWeekday(year: number, month: number, wanted: number, n: number): number {
  return firstWeekdayOnOrAfter(year, month, 1, wanted) + 7 * (n - 1);
}

function lastWeekday(year: number, month: number, wanted: number): number {
  const last = daysInMonth(year, month);
  return last - ((weekday({ year, month, day: last }) - wanted + 7) % 7);
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1 || year > 9999)
    throw new RangeError(`year must be an integer from 1 to 9999, got ${year}`);
}

function checkCalendarDate(date: CalendarDate): void {
  checkYear(date.year);
  const { year, month, day } = date;
  if (
    !Number.isInteger(month) ||
    month < 1 ||
    month > 12 ||
    !Number.isInteger(day) ||
    day < 1 ||
    day > daysInMonth(year, month)
  ) {
    throw new RangeError(`${year}-${month}-${day} is not a date`);
  }
}
