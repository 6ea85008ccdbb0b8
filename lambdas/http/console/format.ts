import type { ConsoleCopy } from './copy/index.js';

/** Numbers, shares and times as the marketer's language writes them; times in the club's zone. */
export interface Formats {
  readonly number: (n: number) => string;
  /** A figure with up to one decimal (an NPS, its margin). */
  readonly decimal: (n: number) => string;
  readonly percent: (share: number, digits?: number) => string;
  readonly dateTime: (at: string | Date) => string;
  readonly date: (at: string | Date) => string;
  /** A `YYYY-MM-DD` calendar date as written, with its weekday. */
  readonly day: (date: string) => string;
  /** The weekday of a `YYYY-MM-DD` date, short. */
  readonly weekday: (date: string) => string;
  /** The month and year of a `YYYY-MM-DD` date. */
  readonly month: (date: string) => string;
  readonly timeZone: string;
}

export function formats(copy: Pick<ConsoleCopy, 'locale'>, timeZone: string): Formats {
  const number = new Intl.NumberFormat(copy.locale, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(copy.locale, { maximumFractionDigits: 1 });
  const dateTime = new Intl.DateTimeFormat(copy.locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const date = new Intl.DateTimeFormat(copy.locale, { timeZone, dateStyle: 'medium' });
  const day = new Intl.DateTimeFormat(copy.locale, {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });
  const weekday = new Intl.DateTimeFormat(copy.locale, { timeZone: 'UTC', weekday: 'short' });
  const month = new Intl.DateTimeFormat(copy.locale, { timeZone: 'UTC', month: 'long', year: 'numeric' });
  const noon = (d: string) => new Date(`${d}T12:00:00Z`);
  return {
    number: (n) => number.format(n),
    decimal: (n) => decimal.format(n),
    percent: (share, digits = 1) =>
      new Intl.NumberFormat(copy.locale, { style: 'percent', maximumFractionDigits: digits }).format(share),
    dateTime: (at) => dateTime.format(typeof at === 'string' ? new Date(at) : at),
    date: (at) => date.format(typeof at === 'string' ? new Date(at) : at),
    day: (d) => day.format(noon(d)),
    weekday: (d) => weekday.format(noon(d)),
    month: (d) => month.format(noon(d)),
    timeZone,
  };
}
