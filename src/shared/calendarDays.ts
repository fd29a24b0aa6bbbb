import { DateTime } from 'luxon';

/**
 * Calendar days and wall clocks, on luxon: the one place dates are validated and zones are read.
 * Close times and filing deadlines are set in exchange or Eastern time, and move with DST.
 */

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const COMPACT_DAY = /^\d{8}$/;

/** True for `YYYY-MM-DD` naming a real day (no 2026-02-30). */
export function isIsoDay(value: string): boolean {
  return ISO_DAY.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

/** True for a real calendar date written YYYYMMDD (no 20260230). */
export function isCalendarDate(yyyymmdd: string): boolean {
  return COMPACT_DAY.test(yyyymmdd) && DateTime.fromFormat(yyyymmdd, 'yyyyMMdd', { zone: 'utc' }).isValid;
}

/** `day` plus `n` calendar days, zone-free, written as it came: `YYYY-MM-DD`, or `YYYYMMDD` (IB's and the exchanges' dates). */
export function addDays(day: string, n: number): string {
  if (COMPACT_DAY.test(day)) return DateTime.fromFormat(day, 'yyyyMMdd', { zone: 'utc' }).plus({ days: n }).toFormat('yyyyMMdd');
  return DateTime.fromISO(day, { zone: 'utc' }).plus({ days: n }).toISODate()!;
}

/** Monday to Friday. Exchange holidays are not known here. */
export function isWeekday(day: string): boolean {
  return DateTime.fromISO(day, { zone: 'utc' }).weekday <= 5;
}

export interface WallClock {
  /** `YYYY-MM-DD` */
  day: string;
  hour: number;
  minute: number;
  second: number;
}

/** The calendar day and time an instant shows on a clock in `zone`. */
export function wallClockAt(epochMs: number, zone: string): WallClock {
  const at = DateTime.fromMillis(epochMs, { zone });
  return { day: at.toISODate()!, hour: at.hour, minute: at.minute, second: at.second };
}

/** The calendar date, `YYYYMMDD`, an instant shows on a clock in `zone` (an exchange date). */
export function calendarDateAt(epochMs: number, zone: string): string {
  return DateTime.fromMillis(epochMs, { zone }).toFormat('yyyyMMdd');
}

/**
 * The instant a clock in `zone` shows `day` at `HH:MM`. A time skipped by a DST change (02:30 on
 * a spring-forward day) resolves to the instant one hour later, as clocks read it.
 */
export function instantOf(day: string, time: string, zone: string): number {
  return DateTime.fromISO(`${day}T${time}`, { zone }).toMillis();
}

/**
 * `ms` moved by whole calendar years, UTC. A 29 February that does not exist in the target year
 * becomes the 28th when going back (so "5 years ago" is never later than five full years) and
 * 1 March when going forward (so "5 years after" is never earlier).
 */
export function shiftYears(ms: number, years: number): number {
  const from = DateTime.fromMillis(ms, { zone: 'utc' });
  const shifted = from.plus({ years });
  // luxon clamps 29 February to the 28th either way; forward, the day after is the later bound.
  return (years > 0 && shifted.day !== from.day ? shifted.plus({ days: 1 }) : shifted).toMillis();
}
