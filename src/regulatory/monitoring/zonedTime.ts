/**
 * Wall-clock times in a named time zone, with Intl only (no tz library in the dependencies).
 * Close times and filing deadlines are set in exchange or Eastern time, and move with DST.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, found);
  }
  return found;
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
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(epochMs)).map((part) => [part.type, part.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

function offsetMs(epochMs: number, zone: string): number {
  const wall = wallClockAt(epochMs, zone);
  const [y, m, d] = wall.day.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant a clock in `zone` shows `day` at `HH:MM`. Two passes settle the offset on either
 * side of a DST change; a time skipped by the change (02:30 on a spring-forward day) resolves to
 * the instant one hour later, as clocks read it.
 */
export function instantOf(day: string, time: string, zone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const naive = Date.UTC(y, m - 1, d, hh, mm);
  let guess = naive - offsetMs(naive, zone);
  guess = naive - offsetMs(guess, zone);
  return guess;
}

/** `day` plus `n` calendar days (`YYYY-MM-DD`), zone-free. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Monday to Friday. Exchange holidays are not known here. */
export function isWeekday(day: string): boolean {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}
