import { DateTime } from 'luxon';
import type { BarSpec } from './barRequest.ts';
import type { SessionsBetween, TradingSession } from './tradingSessions.ts';

/** Where one bar sits: its start (epoch ms) and the date IB labels it with before formatting. */
export interface BarSlot {
  startMs: number;
  /** Multi-day bars: the trading day (yyyyMMdd, exchange zone) that names the bar. */
  day?: string;
}

const DAY_MS = 86_400_000;

/**
 * The bars a request covers, oldest first, only where the market trades.
 *
 * Intraday bars start on multiples of their size from the epoch (so on the hour for every size
 * that divides an hour, as IB's do), from the first boundary at or after the request's start to
 * the bar in progress at its end; a slot with no trading session in it is left out, as IB leaves
 * out closed hours. Daily bars are one per trading day, named by the exchange-zone date the
 * session closes on (CME's Sunday-evening session is Monday's bar); `n D` of daily bars is the
 * last n trading days. Weekly and monthly bars gather the trading days of a week or month.
 */
export function barSlots(spec: BarSpec, sessions: SessionsBetween, timeZoneId: string): BarSlot[] {
  return spec.multiDay ? multiDaySlots(spec, sessions, timeZoneId) : intradaySlots(spec, sessions);
}

function intradaySlots(spec: BarSpec, sessions: SessionsBetween): BarSlot[] {
  const barMs = spec.barSeconds * 1_000;
  const last = Math.floor((spec.endMs - 1) / barMs) * barMs;
  const first = Math.min(Math.ceil(spec.startMs / barMs) * barMs, last);
  const open = sessions(first, last + barMs);
  const slots: BarSlot[] = [];
  let i = 0;
  for (let start = first; start <= last; start += barMs) {
    while (i < open.length && (open[i] as TradingSession).close <= start) i++;
    const session = open[i];
    if (session && session.open < start + barMs) slots.push({ startMs: start });
  }
  return slots;
}

interface TradingDay {
  open: number;
  day: string;
}

function multiDaySlots(spec: BarSpec, sessions: SessionsBetween, timeZoneId: string): BarSlot[] {
  const { n, unit } = spec.duration;
  // `n D` counts trading days: look back far enough to find n of them across weekends and holidays.
  const from = unit === 'D' ? spec.endMs - (2 * n + 10) * DAY_MS : spec.startMs - 7 * DAY_MS;
  let days = tradingDays(sessions(from, spec.endMs), timeZoneId).filter((d) => d.open < spec.endMs);
  days = unit === 'D' ? days.slice(-n) : days.filter((d) => d.open >= spec.startMs);
  if (spec.barSize === '1 day') return days.map((d) => ({ startMs: d.open, day: d.day }));
  const periodOf = (d: TradingDay) => {
    const date = DateTime.fromFormat(d.day, 'yyyyMMdd', { zone: timeZoneId });
    return spec.barSize === '1 week' ? `${date.weekYear}-${date.weekNumber}` : d.day.slice(0, 6);
  };
  const slots: BarSlot[] = [];
  let period = '';
  for (const d of days) {
    const p = periodOf(d);
    if (p === period) continue;
    period = p;
    slots.push({ startMs: d.open, day: d.day });
  }
  return slots;
}

/**
 * Sessions as trading days. A real session (under a day long) belongs to the date it closes on;
 * an always-open market's long session is cut at the exchange's midnights into calendar days.
 */
function tradingDays(sessions: readonly TradingSession[], timeZoneId: string): TradingDay[] {
  const days: TradingDay[] = [];
  for (const session of sessions) {
    if (session.close - session.open <= DAY_MS) {
      days.push({ open: session.open, day: dayOf(session.close - 1, timeZoneId) });
      continue;
    }
    let open = session.open;
    while (open < session.close) {
      const midnight = DateTime.fromMillis(open, { zone: timeZoneId }).startOf('day').plus({ days: 1 }).toMillis();
      days.push({ open, day: dayOf(open, timeZoneId) });
      open = midnight;
    }
  }
  return days;
}

function dayOf(ms: number, timeZoneId: string): string {
  return DateTime.fromMillis(ms, { zone: timeZoneId }).toFormat('yyyyMMdd');
}
