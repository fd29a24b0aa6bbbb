/**
 * Calendar days as integers (days since 1970-01-01), so business-day arithmetic is integer steps
 * and a per-tick caller never allocates a date object. Zone-free: a day number names a date on the
 * exchange's own calendar; turning it into an instant is `exchangeClock.ts`'s job.
 */

/** Days from 1970-01-01 to the proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The date a day number names (civil_from_days). */
export function civilOf(dayNumber: number): CivilDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO weekday: Monday 1 … Sunday 7 (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return ((((dayNumber % 7) + 7) % 7) + 3) % 7 + 1;
}

export function isWeekend(dayNumber: number): boolean {
  return weekdayOf(dayNumber) >= 6;
}

export function daysInMonth(year: number, month: number): number {
  return month === 12 ? 31 : dayOf(year, month + 1, 1) - dayOf(year, month, 1);
}

const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/** 'YYYYMMDD' → day number; throws on a date that does not exist (20270230). */
export function dayOfCompact(yyyymmdd: string): number {
  const match = COMPACT.exec(yyyymmdd);
  if (!match) throw new Error(`not a YYYYMMDD date: ${yyyymmdd}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw new Error(`no such date: ${yyyymmdd}`);
  return dayOf(year, month, day);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** day number → 'YYYYMMDD' */
export function compactOf(dayNumber: number): string {
  const { year, month, day } = civilOf(dayNumber);
  return `${year}${pad2(month)}${pad2(day)}`;
}

/** 'HH:MM' → minutes after midnight. */
export function minutesOf(hhmm: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new Error(`not an HH:MM time: ${hhmm}`);
  return Number(match[1]) * 60 + Number(match[2]);
}
