import { addDays, instantOf, isWeekday, wallClockAt } from '../../shared/calendarDays.ts';

export interface CloseSchedule {
  closeTime: string;
  closeTimeZone: string;
  deadlineTime: string;
  deadlineTimeZone: string;
}

export interface DayClose {
  /** The trading day that closes, `YYYY-MM-DD` in the close time zone. */
  day: string;
  /** When it closes, epoch ms. */
  atMs: number;
}

/**
 * The next weekday close strictly after `nowMs`. Weekends have no close (no positions change on
 * them that a Friday close did not see); exchange holidays are not known, so a holiday closes too,
 * and its report is the same positions again, which the pipeline files as one report per content.
 */
export function nextClose(nowMs: number, schedule: Pick<CloseSchedule, 'closeTime' | 'closeTimeZone'>): DayClose {
  let day = wallClockAt(nowMs, schedule.closeTimeZone).day;
  for (let i = 0; i < 10; i += 1, day = addDays(day, 1)) {
    if (!isWeekday(day)) continue;
    const atMs = instantOf(day, schedule.closeTime, schedule.closeTimeZone);
    if (atMs > nowMs) return { day, atMs };
  }
  throw new Error(`no weekday close within 10 days of ${new Date(nowMs).toISOString()}`);
}

/** The filing deadline of a day's large trader file: the next business day at the deadline time, ISO-8601 UTC. */
export function filingDeadline(day: string, schedule: Pick<CloseSchedule, 'deadlineTime' | 'deadlineTimeZone'>): string {
  let next = addDays(day, 1);
  while (!isWeekday(next)) next = addDays(next, 1);
  return new Date(instantOf(next, schedule.deadlineTime, schedule.deadlineTimeZone)).toISOString();
}
