import { addDays, isIsoDay, isWeekday, shiftYears, wallClockAt } from '../../shared/calendarDays.ts';

export interface CloseWindowRules {
  /** "Today" is the day on a clock in this zone (the close time zone). */
  closeTimeZone: string;
  /** Records are kept this long (audit.retention.retentionYears); an older day has nothing to close. */
  retentionYears: number;
}

/** The days a close may be asked for, both ends included, `YYYY-MM-DD`. */
export interface CloseWindow {
  from: string;
  to: string;
  retentionYears: number;
}

/**
 * From the oldest day still inside retention to the next business day. The next business day is
 * allowed because a close asked just before midnight in another zone names it; anything later
 * would record a book for a day that has not traded, and anything older than retention would
 * file a report about records no longer kept.
 */
export function closeWindowAt(nowMs: number, rules: CloseWindowRules): CloseWindow {
  const today = wallClockAt(nowMs, rules.closeTimeZone).day;
  let to = addDays(today, 1);
  while (!isWeekday(to)) to = addDays(to, 1);
  const from = new Date(shiftYears(Date.parse(`${today}T00:00:00Z`), -rules.retentionYears)).toISOString().slice(0, 10);
  return { from, to, retentionYears: rules.retentionYears };
}

/** Why a close of `day` is refused, or null. ISO days compare correctly as strings. */
export function closeDayProblem(day: string, window: CloseWindow): string | null {
  if (!isIsoDay(day)) return `${JSON.stringify(day)} is not a date YYYY-MM-DD`;
  if (day > window.to) return `${day} is after the next business day (${window.to}); a day close may be asked for ${window.from} to ${window.to}`;
  if (day < window.from) return `${day} is older than the ${window.retentionYears}-year retention (oldest ${window.from}); a day close may be asked for ${window.from} to ${window.to}`;
  return null;
}
