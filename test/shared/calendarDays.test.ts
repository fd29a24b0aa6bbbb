import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, calendarDateAt, instantOf, isCalendarDate, isIsoDay, isWeekday, shiftYears, wallClockAt } from '../../src/shared/calendarDays.ts';
import { parseTimeBound } from '../../src/audit/parseTimeBound.ts';

describe('calendar days', () => {
  it('a YYYY-MM-DD or YYYYMMDD is valid exactly when it is a real day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2199 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (year, month, day) => {
        const real = month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
        const [mm, dd] = [String(month).padStart(2, '0'), String(day).padStart(2, '0')];
        expect(isIsoDay(`${year}-${mm}-${dd}`)).toBe(real);
        expect(isCalendarDate(`${year}${mm}${dd}`)).toBe(real);
      }),
    );
    expect(isIsoDay('2026-3-01')).toBe(false);
    expect(isCalendarDate('2026-03-01')).toBe(false);
  });

  it('adds days across months, years and DST changes, and knows weekdays', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('20240228', 1)).toBe('20240229');
    expect(addDays('20270101', -1)).toBe('20261231');
    expect(['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09'].map(isWeekday)).toEqual([true, false, false, true]);
  });

  it('reads wall clocks in a zone, and a time skipped by spring-forward is the instant an hour later', () => {
    expect(wallClockAt(Date.UTC(2026, 2, 9, 21, 15, 30), 'America/Chicago')).toEqual({ day: '2026-03-09', hour: 16, minute: 15, second: 30 });
    expect(calendarDateAt(Date.UTC(2026, 2, 10, 4, 59), 'America/Chicago')).toBe('20260309');
    expect(calendarDateAt(Date.UTC(2026, 2, 10, 5), 'America/Chicago')).toBe('20260310');
    expect(instantOf('2026-03-09', '16:15', 'America/Chicago')).toBe(Date.UTC(2026, 2, 9, 21, 15));
    expect(instantOf('2026-01-09', '16:15', 'America/Chicago')).toBe(Date.UTC(2026, 0, 9, 22, 15));
    expect(instantOf('2026-03-08', '02:30', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 30));
  });

  it('shifts 29 February back to the 28th and forward to 1 March', () => {
    const leap = Date.UTC(2024, 1, 29, 12);
    expect(shiftYears(leap, -1)).toBe(Date.UTC(2023, 1, 28, 12));
    expect(shiftYears(leap, 1)).toBe(Date.UTC(2025, 2, 1, 12));
    expect(shiftYears(leap, 4)).toBe(Date.UTC(2028, 1, 29, 12));
    expect(shiftYears(Date.UTC(2026, 5, 30), -5)).toBe(Date.UTC(2021, 5, 30));
  });
});

describe('parseTimeBound', () => {
  it('reads epoch ms, zoned date-times and whole UTC days; refuses the rest', () => {
    expect(parseTimeBound('1710513000123', 'from')).toBe(1710513000123);
    expect(parseTimeBound('2024-03-15T14:30:00.123Z', 'from')).toBe(Date.UTC(2024, 2, 15, 14, 30, 0, 123));
    expect(parseTimeBound('2024-03-15T15:30:00+01:00', 'to')).toBe(Date.UTC(2024, 2, 15, 14, 30));
    expect(parseTimeBound('2024-03-15', 'from')).toBe(Date.UTC(2024, 2, 15));
    expect(parseTimeBound('2024-03-15', 'to')).toBe(Date.UTC(2024, 2, 16) - 1);
    for (const bad of ['2024-02-30', '2024-03-15T14:30:00', 'yesterday', '1969-12-31T23:59:59Z']) expect(parseTimeBound(bad, 'from')).toBeUndefined();
  });
});
