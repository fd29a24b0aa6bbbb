import { civilOf, dayOf, dayOfCompact, daysInMonth, isWeekend } from './dayNumber.ts';
import { projectedHolidays } from './holidayRules.ts';
import { HOLIDAY_TREATMENTS, type HolidayRow, type HolidayTreatment } from './holidayTable.ts';

/**
 * An exchange's business days: weekdays that are not exchange holidays. Holidays come from the
 * published table for its years and from the rules for the others, loaded a year at a time.
 */
export class ExchangeDays {
  private readonly byDay = new Map<number, HolidayTreatment>();
  private readonly loadedYears = new Set<number>();

  constructor(
    private readonly table: readonly HolidayRow[],
    private readonly tableYears: readonly number[],
  ) {}

  /** The holiday treatment of a day, if it is one. */
  holidayOn(day: number): HolidayTreatment | undefined {
    this.load(civilOf(day).year);
    return this.byDay.get(day);
  }

  isBusinessDay(day: number): boolean {
    if (isWeekend(day)) return false;
    return this.holidayOn(day)?.businessDay ?? true;
  }

  /** `n` business days after (n > 0) or before (n < 0) `day`; n = 0 rolls a non-business day forward. */
  addBusinessDays(day: number, n: number): number {
    let at = day;
    if (n === 0) {
      while (!this.isBusinessDay(at)) at++;
      return at;
    }
    const step = n > 0 ? 1 : -1;
    for (let left = Math.abs(n); left > 0; ) {
      at += step;
      if (this.isBusinessDay(at)) left--;
    }
    return at;
  }

  /** The business day on or before `day`. */
  onOrBefore(day: number): number {
    let at = day;
    while (!this.isBusinessDay(at)) at--;
    return at;
  }

  lastBusinessDayOfMonth(year: number, month: number): number {
    return this.onOrBefore(dayOf(year, month, daysInMonth(year, month)));
  }

  private load(year: number): void {
    if (this.loadedYears.has(year)) return;
    this.loadedYears.add(year);
    const rows = this.tableYears.includes(year) ? this.table.filter((row) => row.date.startsWith(String(year))) : projectedHolidays(year);
    for (const row of rows) this.byDay.set(dayOfCompact(row.date), HOLIDAY_TREATMENTS[row.treatment]);
  }
}
