import { compactOf, dayOf, daysInMonth, weekdayOf } from './dayNumber.ts';
import type { HolidayRow } from './holidayTable.ts';

/**
 * CME's holiday rules, to project years the published table does not cover (expiries two or
 * more years out). The test proves they reproduce the 2026–2027 table.
 */

/** The nth (1-based) ISO weekday of a month; n = -1 for the last. */
export function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = dayOf(year, month, 1);
    return first + ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7;
  }
  const last = dayOf(year, month, daysInMonth(year, month));
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/** Easter Sunday (anonymous Gregorian algorithm). */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayOf(year, month, day);
}

/** Saturday → Friday before, Sunday → Monday after. */
function observed(day: number): number {
  const weekday = weekdayOf(day);
  return weekday === 6 ? day - 1 : weekday === 7 ? day + 1 : day;
}

export function projectedHolidays(year: number): HolidayRow[] {
  const rows: HolidayRow[] = [];
  const add = (day: number, name: string, treatment: HolidayRow['treatment']): void => {
    rows.push({ date: compactOf(day), name, treatment });
  };
  // A Saturday New Year's Day is not moved back into the old year (as NYSE and CME do).
  const newYear = dayOf(year, 1, 1);
  if (weekdayOf(newYear) !== 6) add(observed(newYear), "New Year's Day", 'closed');
  add(nthWeekday(year, 1, 1, 3), 'Martin Luther King Jr. Day', 'federalHalt');
  add(nthWeekday(year, 2, 1, 3), "Presidents' Day", 'federalHalt');
  add(easterSunday(year) - 2, 'Good Friday', 'closed');
  add(nthWeekday(year, 5, 1, -1), 'Memorial Day', 'federalHalt');
  add(observed(dayOf(year, 6, 19)), 'Juneteenth', 'federalHalt');
  add(observed(dayOf(year, 7, 4)), 'Independence Day', 'federalHalt');
  add(nthWeekday(year, 9, 1, 1), 'Labor Day', 'federalHalt');
  const thanksgiving = nthWeekday(year, 11, 4, 4);
  add(thanksgiving, 'Thanksgiving Day', 'thanksgiving');
  add(thanksgiving + 1, 'Day after Thanksgiving', 'dayAfterThanksgiving');
  const christmas = dayOf(year, 12, 25);
  if (weekdayOf(christmas) >= 2 && weekdayOf(christmas) <= 5) add(christmas - 1, 'Christmas Eve', 'christmasEve');
  add(observed(christmas), 'Christmas Day', 'closed');
  return rows.sort((a, b) => a.date.localeCompare(b.date));
}
