import { DateTime } from 'luxon';
import { civilOf, dayOf } from './dayNumber.ts';

/**
 * Between exchange wall clocks and instants, on luxon so DST moves the instant and never the
 * local time (CME opens at 17:00 Chicago time in January and in July). Called on cache misses
 * and for formatting, never on a per-tick path.
 */

/** The instant a clock in `zone` shows `minutes` after midnight on `dayNumber`. */
export function instantAt(dayNumber: number, minutes: number, zone: string): number {
  const { year, month, day } = civilOf(dayNumber);
  return DateTime.fromObject({ year, month, day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone }).toMillis();
}

/** The calendar day a clock in `zone` shows at `epochMs`. */
export function localDayAt(epochMs: number, zone: string): number {
  const at = DateTime.fromMillis(epochMs, { zone });
  return dayOf(at.year, at.month, at.day);
}

/** 'YYYYMMDD:HHMM' as a clock in `zone` shows `epochMs` (IB's tradingHours stamp). */
export function ibStampAt(epochMs: number, zone: string): string {
  return DateTime.fromMillis(epochMs, { zone }).toFormat('yyyyMMdd:HHmm');
}
