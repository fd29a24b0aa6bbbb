import { isWeekend, minutesOf } from './dayNumber.ts';
import { ibStampAt, instantAt, localDayAt } from './exchangeClock.ts';
import type { ExchangeDays } from './exchangeDays.ts';
import type { ProductCalendar } from './productTable.ts';

export interface TradingSession {
  /** epoch ms, inclusive */
  open: number;
  /** epoch ms, exclusive */
  close: number;
}

export type SessionKind = 'trading' | 'liquid';

interface Span {
  opens: number;
  closes: number;
  dayBefore: number;
}

/** Trade dates held per lookup window: a rebuild costs ~20 luxon conversions, a hit none. */
const WINDOW_TRADE_DATES = 9;

/** A window of sessions kept as flat [open, close, open, close, …] so a per-tick lookup allocates nothing. */
interface Window {
  from: number;
  to: number;
  bounds: number[];
}

/**
 * One product's sessions on its exchange clock: the Globex week with its daily break, holiday
 * halts and early closes, and its liquid hours (none on an exchange holiday).
 */
export class ProductSessions {
  private readonly spans: Record<SessionKind, readonly Span[]>;
  private readonly windows: Record<SessionKind, Window> = {
    trading: { from: 0, to: 0, bounds: [] },
    liquid: { from: 0, to: 0, bounds: [] },
  };

  constructor(
    private readonly product: ProductCalendar,
    private readonly days: ExchangeDays,
  ) {
    const toSpans = (spans: ProductCalendar['trading']): Span[] =>
      spans.map((s) => ({ opens: minutesOf(s.opens), closes: minutesOf(s.closes), dayBefore: s.opensDayBefore ? 1 : 0 }));
    this.spans = { trading: toSpans(product.trading), liquid: toSpans(product.liquid) };
  }

  /** Whether `epochMs` falls inside a session; memoised per window of days. */
  isInside(kind: SessionKind, epochMs: number): boolean {
    const window = this.windows[kind];
    if (epochMs < window.from || epochMs >= window.to) this.rebuild(kind, window, epochMs);
    const bounds = window.bounds;
    // Last session opening at or before epochMs.
    let lo = 0;
    let hi = bounds.length / 2 - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (bounds[mid * 2]! <= epochMs) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && epochMs < bounds[found * 2 + 1]!;
  }

  /** Sessions overlapping [fromMs, toMs), ascending. */
  between(kind: SessionKind, fromMs: number, toMs: number): TradingSession[] {
    if (!(toMs > fromMs)) return [];
    const zone = this.product.zone;
    const bounds: number[] = [];
    // A session overlapping calendar day x belongs to trade date x or x + 1.
    const last = localDayAt(toMs, zone) + 1;
    for (let day = localDayAt(fromMs, zone); day <= last; day++) this.appendTradeDate(kind, day, bounds);
    const sessions: TradingSession[] = [];
    for (let i = 0; i < bounds.length; i += 2) {
      const open = bounds[i]!;
      const close = bounds[i + 1]!;
      if (close > fromMs && open < toMs) sessions.push({ open, close });
    }
    return sessions;
  }

  /**
   * IB's ContractDetails hours for the `dayCount` exchange-calendar days from today: each session
   * as 'YYYYMMDD:HHMM-YYYYMMDD:HHMM' (the one in progress included), and 'YYYYMMDD:CLOSED' for a day
   * no session touches, joined by ';' in date order.
   */
  ibSchedule(kind: SessionKind, nowMs: number, dayCount: number): string {
    const zone = this.product.zone;
    const today = localDayAt(nowMs, zone);
    const dayStart = (day: number): number => instantAt(day, 0, zone);
    const sessions = this.between(kind, dayStart(today), dayStart(today + dayCount));
    const parts: string[] = [];
    let next = 0;
    for (let day = today; day < today + dayCount; day++) {
      const start = dayStart(day);
      const end = dayStart(day + 1);
      while (next < sessions.length && sessions[next]!.open < end) {
        const { open, close } = sessions[next++]!;
        parts.push(`${ibStampAt(open, zone)}-${ibStampAt(close, zone)}`);
      }
      const touched = sessions.some((s) => s.open < end && s.close > start);
      if (!touched) parts.push(`${ibStampAt(start, zone).slice(0, 8)}:CLOSED`);
    }
    return parts.join(';');
  }

  private rebuild(kind: SessionKind, window: Window, epochMs: number): void {
    const zone = this.product.zone;
    const first = localDayAt(epochMs, zone);
    const last = first + WINDOW_TRADE_DATES;
    const bounds: number[] = [];
    for (let day = first; day <= last; day++) this.appendTradeDate(kind, day, bounds);
    window.bounds = bounds;
    // Calendar days first … last-1 are fully covered: their sessions belong to trade dates first … last.
    window.from = instantAt(first, 0, zone);
    window.to = instantAt(last, 0, zone);
  }

  private appendTradeDate(kind: SessionKind, day: number, bounds: number[]): void {
    if (isWeekend(day)) return;
    const holiday = this.days.holidayOn(day);
    const hours = holiday?.hours[this.product.sessionGroup];
    if (hours === 'closed') return;
    // No regular hours on an exchange holiday, even where Globex runs a halted session.
    if (kind === 'liquid' && holiday && !holiday.businessDay) return;
    const zone = this.product.zone;
    const notBefore = hours?.openAt ? instantAt(day, minutesOf(hours.openAt), zone) : -Infinity;
    const notAfter = hours?.closeAt ? instantAt(day, minutesOf(hours.closeAt), zone) : Infinity;
    for (const span of this.spans[kind]) {
      const open = Math.max(instantAt(day - span.dayBefore, span.opens, zone), notBefore);
      const close = Math.min(instantAt(day, span.closes, zone), notAfter);
      if (close > open) bounds.push(open, close);
    }
  }
}
