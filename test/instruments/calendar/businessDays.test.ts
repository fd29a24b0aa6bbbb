import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { CME_HOLIDAYS_2026_2027, futuresCalendar } from '../../../src/instruments/calendar/index.ts';

const HOLIDAYS = new Set(CME_HOLIDAYS_2026_2027.filter((row) => row.treatment !== 'dayAfterThanksgiving' && row.treatment !== 'christmasEve').map((row) => row.date));
const date = fc
  .integer({ min: 0, max: 365 * 4 })
  .map((offset) => DateTime.fromISO('2025-07-01', { zone: 'utc' }).plus({ days: offset }).toFormat('yyyyMMdd'));
const isWeekend = (yyyymmdd: string): boolean => DateTime.fromFormat(yyyymmdd, 'yyyyMMdd', { zone: 'utc' }).weekday >= 6;
const steps = fc.integer({ min: -60, max: 60 }).filter((n) => n !== 0);

describe('futures calendar: business days', () => {
  it('property: addBusinessDays never lands on a weekend or a holiday', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -60, max: 60 }), (day, n) => {
        const landed = futuresCalendar.addBusinessDays('ES', day, n);
        expect(isWeekend(landed)).toBe(false);
        expect(HOLIDAYS.has(landed)).toBe(false);
        expect(futuresCalendar.isBusinessDay('ES', landed)).toBe(true);
      }),
    );
  });

  it('property: +n then −n returns to a business day, and to the day itself when it was one', () => {
    fc.assert(
      fc.property(date, steps, (day, n) => {
        const back = futuresCalendar.addBusinessDays('ZN', futuresCalendar.addBusinessDays('ZN', day, n), -n);
        expect(futuresCalendar.isBusinessDay('ZN', back)).toBe(true);
        if (futuresCalendar.isBusinessDay('ZN', day)) expect(back).toBe(day);
        // From a weekend or holiday, forward-then-back ends on the business day before it; back-then-forward, after it.
        else {
          expect(n > 0 ? back < day : back > day).toBe(true);
          expect(back).toBe(futuresCalendar.addBusinessDays('ZN', day, n > 0 ? -1 : 1));
        }
      }),
    );
  });

  it('property: adding n moves past exactly |n| business days', () => {
    fc.assert(
      fc.property(date, steps, (day, n) => {
        const landed = futuresCalendar.addBusinessDays('CL', day, n);
        let count = 0;
        let at = DateTime.fromFormat(day, 'yyyyMMdd', { zone: 'utc' });
        const step = n > 0 ? 1 : -1;
        while (at.toFormat('yyyyMMdd') !== landed) {
          at = at.plus({ days: step });
          if (futuresCalendar.isBusinessDay('CL', at.toFormat('yyyyMMdd'))) count++;
        }
        expect(count).toBe(Math.abs(n));
      }),
    );
  });

  it('0 business days keeps a business day and rolls a weekend or holiday forward', () => {
    expect(futuresCalendar.addBusinessDays('ES', '20261223', 0)).toBe('20261223');
    expect(futuresCalendar.addBusinessDays('ES', '20261225', 0)).toBe('20261228');
    expect(futuresCalendar.addBusinessDays('ES', '20261224', 1)).toBe('20261228');
    expect(futuresCalendar.addBusinessDays('ES', '20270104', -1)).toBe('20261231');
  });

  it('rejects dates that do not exist and fractional steps', () => {
    expect(() => futuresCalendar.isBusinessDay('ES', '20270230')).toThrow(/no such date/);
    expect(() => futuresCalendar.addBusinessDays('ES', '20270104', 1.5)).toThrow(/whole number/);
  });
});
