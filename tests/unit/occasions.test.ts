import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  indexNameDays,
  NameDayCalendar,
  nameDayIn as nameDayInCalendar,
  nameDayOf as nameDayOfCalendar,
} from '../../lambdas/core/name-days.js';
import {
  birthdayIn,
  CalendarOccasion,
  Country,
  calendarOccasionsBetween,
  FunFact,
  isPersonalOccasion,
  membershipAnniversaryIn,
  Occasion,
  occasionDate,
  occasionsOn,
  PersonalOccasion,
  weekday,
  yearsAsMember,
} from '../../lambdas/core/occasions.js';

/** A small test calendar; clubs supply the real one (the Swedish list is Svenska Akademien's work). */
const CALENDAR: NameDayCalendar = {
  '01-28': ['Karl', 'Karla'],
  '02-28': ['Maria'],
  '05-06': ['Marit', 'Rita'],
  '05-11': ['Märta', 'Märit'],
  '05-18': ['Erik', 'Erika'],
  '05-23': ['Desirée', 'Renée'],
  '06-06': ['Gustav', 'Gösta'],
  '07-10': ['Joakim', 'André'],
  '07-27': ['Marta', 'Moa'],
  '09-12': ['Åsa', 'Åslög'],
  '12-05': ['Sven'],
  '12-09': ['Anna', 'Hanna'],
  '12-13': ['Lucia'],
  '12-24': ['Eva', 'Adam'],
  '12-27': ['Johannes', 'Johan'],
};
const INDEX = indexNameDays(CALENDAR);
const nameDayOf = (name: string) => nameDayOfCalendar(INDEX, name);
const nameDayIn = (name: string, year: number) => nameDayInCalendar(INDEX, name, year);

const YEARS = Array.from({ length: 11 }, (_, i) => 2025 + i);
const SUNDAY = 0;
const FRIDAY = 5;

interface Parsed {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday, read through the platform's own calendar rather than the module under test. */
  readonly weekday: number;
}

/** Parses 'YYYY-MM-DD' and proves it is a real date by a round trip through Date.UTC. */
function parse(iso: string): Parsed {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (match === null) throw new Error(`not YYYY-MM-DD: ${iso}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  expect([utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate()], `${iso} is a real date`).toEqual([
    year,
    month,
    day,
  ]);
  return { year, month, day, weekday: utc.getUTCDay() };
}

function plusDays(iso: string, days: number): Parsed {
  const { year, month, day } = parse(iso);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day + days);
  return parse(utc.toISOString().slice(0, 10));
}

/** Each rule, stated independently of the implementation. */
const RULES: Record<CalendarOccasion, Record<Country, (d: Parsed, iso: string) => void>> = {
  valentines: {
    SE: (d) => expect([d.month, d.day]).toEqual([2, 14]),
    DK: (d) => expect([d.month, d.day]).toEqual([2, 14]),
  },
  'mothers-day': {
    // The last Sunday of May: a Sunday in May whose next Sunday is in June.
    SE: (d, iso) => {
      expect([d.month, d.weekday]).toEqual([5, SUNDAY]);
      expect(plusDays(iso, 7).month).toBe(6);
    },
    // The second Sunday of May.
    DK: (d) => {
      expect([d.month, d.weekday]).toEqual([5, SUNDAY]);
      expect(d.day).toBeGreaterThanOrEqual(8);
      expect(d.day).toBeLessThanOrEqual(14);
    },
  },
  'fathers-day': {
    // The second Sunday of November.
    SE: (d) => {
      expect([d.month, d.weekday]).toEqual([11, SUNDAY]);
      expect(d.day).toBeGreaterThanOrEqual(8);
      expect(d.day).toBeLessThanOrEqual(14);
    },
    // Constitution Day.
    DK: (d) => expect([d.month, d.day]).toEqual([6, 5]),
  },
  midsummer: {
    // Midsummer Eve: the Friday from 19 to 25 June.
    SE: (d) => {
      expect([d.month, d.weekday]).toEqual([6, FRIDAY]);
      expect(d.day).toBeGreaterThanOrEqual(19);
      expect(d.day).toBeLessThanOrEqual(25);
    },
    // Sankthansaften.
    DK: (d) => expect([d.month, d.day]).toEqual([6, 23]),
  },
  christmas: {
    SE: (d) => expect([d.month, d.day]).toEqual([12, 24]),
    DK: (d) => expect([d.month, d.day]).toEqual([12, 24]),
  },
};

const CASES = CalendarOccasion.options.flatMap((occasion) =>
  Country.options.flatMap((country) => YEARS.map((year) => ({ occasion, country, year }))),
);

describe('occasionDate for every year from 2025 to 2035', () => {
  it.each(CASES)('follows the $occasion rule in $country in $year', ({ occasion, country, year }) => {
    const iso = occasionDate(occasion, country, year);
    const parsed = parse(iso);
    expect(parsed.year).toBe(year);
    RULES[occasion][country](parsed, iso);
  });
});

describe('occasionDate on dates known from the almanac', () => {
  it.each([
    ['midsummer', 'SE', 2024, '2024-06-21'],
    ['midsummer', 'SE', 2025, '2025-06-20'],
    ['midsummer', 'SE', 2026, '2026-06-19'],
    ['mothers-day', 'SE', 2024, '2024-05-26'],
    ['mothers-day', 'SE', 2025, '2025-05-25'],
    ['mothers-day', 'DK', 2025, '2025-05-11'],
    ['fathers-day', 'SE', 2024, '2024-11-10'],
    ['fathers-day', 'SE', 2025, '2025-11-09'],
    ['fathers-day', 'DK', 2025, '2025-06-05'],
    ['midsummer', 'DK', 2025, '2025-06-23'],
    ['valentines', 'DK', 2026, '2026-02-14'],
    ['christmas', 'SE', 2025, '2025-12-24'],
  ] as const)('puts %s in %s %i on %s', (occasion, country, year, expected) => {
    expect(occasionDate(occasion, country, year)).toBe(expected);
  });

  it('rejects a year that is not a whole number from 1 to 9999', () => {
    expect(() => occasionDate('christmas', 'SE', 2025.5)).toThrow(RangeError);
    expect(() => occasionDate('christmas', 'SE', 0)).toThrow(RangeError);
    expect(() => occasionDate('christmas', 'SE', 10_000)).toThrow(RangeError);
  });
});

describe('occasionDate for any year from 1900 to 2200', () => {
  const monthOf: Record<CalendarOccasion, Record<Country, number>> = {
    valentines: { SE: 2, DK: 2 },
    'mothers-day': { SE: 5, DK: 5 },
    'fathers-day': { SE: 11, DK: 6 },
    midsummer: { SE: 6, DK: 6 },
    christmas: { SE: 12, DK: 12 },
  };

  it('returns a real date in the right year and month, and on the rule’s weekday', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2200 }),
        fc.constantFrom(...Country.options),
        fc.constantFrom(...CalendarOccasion.options),
        (year, country, occasion) => {
          const iso = occasionDate(occasion, country, year);
          const parsed = parse(iso);
          expect([parsed.year, parsed.month]).toEqual([year, monthOf[occasion][country]]);
          RULES[occasion][country](parsed, iso);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('computes the weekday as the platform calendar does', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }),
        (at) => {
          const date = { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() };
          expect(weekday(date)).toBe(at.getUTCDay());
        },
      ),
    );
  });
});

describe('calendarOccasionsBetween', () => {
  it('lists the occasions across a year boundary, earliest first', () => {
    expect(calendarOccasionsBetween('SE', '2025-12-01', '2026-05-31')).toEqual([
      { occasion: 'christmas', date: '2025-12-24' },
      { occasion: 'valentines', date: '2026-02-14' },
      { occasion: 'mothers-day', date: '2026-05-31' },
    ]);
  });

  it('includes occasions on the first and the last day', () => {
    expect(calendarOccasionsBetween('DK', '2025-12-24', '2026-02-14').map((o) => o.date)).toEqual([
      '2025-12-24',
      '2026-02-14',
    ]);
  });

  it('accepts calendar dates as numbers', () => {
    expect(calendarOccasionsBetween('SE', { year: 2026, month: 6, day: 1 }, { year: 2026, month: 6, day: 30 })).toEqual(
      [{ occasion: 'midsummer', date: '2026-06-19' }],
    );
  });

  it('lists a Danish year in date order, with Father’s Day before Sankthansaften', () => {
    expect(calendarOccasionsBetween('DK', '2026-01-01', '2026-12-31').map((o) => o.occasion)).toEqual([
      'valentines',
      'mothers-day',
      'fathers-day',
      'midsummer',
      'christmas',
    ]);
  });

  it('lists a Swedish year in date order, with Father’s Day in November', () => {
    expect(calendarOccasionsBetween('SE', '2026-01-01', '2026-12-31').map((o) => o.occasion)).toEqual([
      'valentines',
      'mothers-day',
      'midsummer',
      'fathers-day',
      'christmas',
    ]);
  });

  it('returns nothing when the range is empty or backwards', () => {
    expect(calendarOccasionsBetween('SE', '2026-03-01', '2026-04-30')).toEqual([]);
    expect(calendarOccasionsBetween('SE', '2026-12-31', '2026-01-01')).toEqual([]);
  });

  it('finds each occasion exactly once per year over eleven years', () => {
    for (const country of Country.options) {
      const found = calendarOccasionsBetween(country, '2025-01-01', '2035-12-31');
      expect(found).toHaveLength(5 * 11);
      expect(found.map((o) => o.date)).toEqual([...found.map((o) => o.date)].sort());
    }
  });

  it('rejects a date that does not exist', () => {
    expect(() => calendarOccasionsBetween('SE', '2025-02-29', '2025-12-31')).toThrow(RangeError);
    expect(() => calendarOccasionsBetween('SE', '2025-1-1', '2025-12-31')).toThrow(RangeError);
  });
});

describe('birthdayIn', () => {
  it('keeps an ordinary birthday on its day', () => {
    expect(birthdayIn('1990-07-15', 2026)).toBe('2026-07-15');
  });

  it('moves a 29 February birthday to 28 February in a common year', () => {
    expect(birthdayIn('2000-02-29', 2025)).toBe('2025-02-28');
    expect(birthdayIn('2000-02-29', 2100)).toBe('2100-02-28');
  });

  it('keeps a 29 February birthday on 29 February in a leap year', () => {
    expect(birthdayIn('2000-02-29', 2028)).toBe('2028-02-29');
    expect(birthdayIn({ year: 2000, month: 2, day: 29 }, 2400)).toBe('2400-02-29');
  });
});

describe('membershipAnniversaryIn', () => {
  it('has no anniversary in the year the member joined', () => {
    expect(membershipAnniversaryIn('2025-03-10', 2025)).toBeUndefined();
  });

  it('has no anniversary before the member joined', () => {
    expect(membershipAnniversaryIn('2025-03-10', 2024)).toBeUndefined();
  });

  it('falls on the join date from the next year on', () => {
    expect(membershipAnniversaryIn('2025-03-10', 2026)).toBe('2026-03-10');
    expect(membershipAnniversaryIn('2025-03-10', 2035)).toBe('2035-03-10');
  });

  it('moves a 29 February join date to 28 February in a common year', () => {
    expect(membershipAnniversaryIn('2024-02-29', 2025)).toBe('2025-02-28');
    expect(membershipAnniversaryIn('2024-02-29', 2028)).toBe('2028-02-29');
  });
});

describe('yearsAsMember', () => {
  it('counts a full year on the anniversary, not the day before', () => {
    expect(yearsAsMember('2025-03-10', '2026-03-09')).toBe(0);
    expect(yearsAsMember('2025-03-10', '2026-03-10')).toBe(1);
    expect(yearsAsMember('2025-03-10', '2035-12-31')).toBe(10);
  });

  it('counts a 29 February member’s year on 28 February in a common year', () => {
    expect(yearsAsMember('2024-02-29', '2025-02-27')).toBe(0);
    expect(yearsAsMember('2024-02-29', '2025-02-28')).toBe(1);
    expect(yearsAsMember('2024-02-29', '2028-02-28')).toBe(3);
    expect(yearsAsMember('2024-02-29', '2028-02-29')).toBe(4);
  });

  it('is zero before the member joined', () => {
    expect(yearsAsMember('2025-03-10', '2020-01-01')).toBe(0);
  });

  it('goes up by one on each anniversary and not the day before', () => {
    const dates = fc.date({
      min: new Date('1950-01-01T00:00:00Z'),
      max: new Date('2100-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 60 }), (at, after) => {
        const joined = at.toISOString().slice(0, 10);
        const year = at.getUTCFullYear() + after;
        const anniversary = membershipAnniversaryIn(joined, year);
        if (anniversary === undefined) throw new Error('an anniversary after the joining year must exist');
        const dayBefore = plusDays(anniversary, -1);
        const iso = (d: Parsed) =>
          `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
        expect(yearsAsMember(joined, anniversary)).toBe(after);
        expect(yearsAsMember(joined, iso(dayBefore))).toBe(after - 1);
      }),
    );
  });
});

describe('nameDayOf and nameDayIn', () => {
  it.each([
    ['Sven', '12-05'],
    ['Karl', '01-28'],
    ['Carl', '01-28'],
    ['Anna', '12-09'],
    ['Maria', '02-28'],
    ['Gustav', '06-06'],
    ['Erik', '05-18'],
    ['Lucia', '12-13'],
    ['Johan', '12-27'],
    ['Åsa', '09-12'],
  ])('gives %s the name day %s', (name, monthDay) => {
    expect(nameDayOf(name)).toBe(monthDay);
  });

  it('ignores case, surrounding space and the second given name', () => {
    expect(nameDayOf('  sVEN ')).toBe('12-05');
    expect(nameDayOf('Anna Maria')).toBe('12-09');
    expect(nameDayOf('ÅSA')).toBe('09-12');
  });

  it('matches without accents when that names a single day', () => {
    expect(nameDayOf('Andre')).toBe('07-10');
    expect(nameDayOf('Desiree')).toBe('05-23');
    expect(nameDayOf('Asa')).toBe('09-12');
  });

  it('keeps names apart that differ only by an accent', () => {
    expect(nameDayOf('Märta')).toBe('05-11');
    expect(nameDayOf('Marta')).toBe('07-27');
    expect(nameDayOf('Märit')).toBe('05-11');
    expect(nameDayOf('Marit')).toBe('05-06');
  });

  it('has no name day for a name the calendar does not list', () => {
    expect(nameDayOf('Zlatan')).toBeUndefined();
    expect(nameDayOf('Anna-Karin')).toBeUndefined();
    expect(nameDayOf('')).toBeUndefined();
    expect(nameDayIn('Zlatan', 2026)).toBeUndefined();
  });

  it('puts the name day in the asked year', () => {
    expect(nameDayIn('Sven', 2026)).toBe('2026-12-05');
    expect(nameDayIn('Karl', 2030)).toBe('2030-01-28');
  });

  it('accepts a club calendar only with real MM-DD days, and refuses a name listed on two days', () => {
    expect(NameDayCalendar.safeParse({ '13-01': ['Sven'] }).success).toBe(false);
    expect(NameDayCalendar.safeParse({ '12-05': ['Sven'] }).success).toBe(true);
    expect(() => indexNameDays({ '12-05': ['Sven'], '12-06': ['sven'] })).toThrow(/lists sven on both 12-05 and 12-06/);
  });
});

describe('occasionsOn', () => {
  it('puts a member’s own occasions before the calendar’s', () => {
    expect(
      occasionsOn('2025-12-24', 'SE', { birthDate: '1980-12-24', nameDay: { name: 'Eva', calendar: INDEX } }),
    ).toEqual(['birthday', 'name-day', 'christmas']);
  });

  it('finds the membership anniversary only after a full year', () => {
    expect(occasionsOn('2025-03-10', 'DK', { joinedDate: '2025-03-10' })).toEqual([]);
    expect(occasionsOn('2026-03-10', 'DK', { joinedDate: '2025-03-10' })).toEqual(['membership-anniversary']);
  });

  it('finds no name day for a member who did not choose one', () => {
    expect(occasionsOn('2025-12-05', 'SE', {})).toEqual([]);
  });

  it('finds the country’s own calendar occasions', () => {
    expect(occasionsOn('2025-06-05', 'DK')).toEqual(['fathers-day']);
    expect(occasionsOn('2025-06-05', 'SE')).toEqual([]);
    expect(occasionsOn('2025-06-20', 'SE')).toEqual(['midsummer']);
  });
});

describe('schemas', () => {
  it('tells personal occasions from calendar ones', () => {
    expect(Occasion.options.filter(isPersonalOccasion)).toEqual(PersonalOccasion.options);
    expect(Occasion.options).toHaveLength(PersonalOccasion.options.length + CalendarOccasion.options.length);
  });

  it('accepts a fun fact of 1 to 280 characters and nothing blank or longer', () => {
    expect(FunFact.safeParse('Midsummer Eve is not a public holiday, yet most of Sweden takes it off.').success).toBe(
      true,
    );
    expect(FunFact.safeParse('x'.repeat(280)).success).toBe(true);
    expect(FunFact.safeParse('x'.repeat(281)).success).toBe(false);
    expect(FunFact.safeParse('').success).toBe(false);
    expect(FunFact.safeParse('   ').success).toBe(false);
  });
});
