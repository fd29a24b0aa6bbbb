import type { Instrument } from '../../instruments/instruments.ts';

/** One trading session, epoch ms, [open, close): the futures calendar's TradingSession. */
export interface TradingSession {
  open: number;
  close: number;
}

/** The trading sessions of one instrument overlapping [fromMs, toMs), ascending. */
export type SessionsBetween = (fromMs: number, toMs: number) => readonly TradingSession[];

/** A market that never closes: the whole window is one session. */
export const alwaysOpen: SessionsBetween = (fromMs, toMs) => (fromMs < toMs ? [{ open: fromMs, close: toMs }] : []);

/**
 * Where an instrument's sessions come from: bars, and later ticks and fills, happen only inside
 * them. Until the futures calendar is wired in, every market is always open; wiring it is this one
 * line (`futuresCalendar.knows(s) ? (f, t) => futuresCalendar.sessionsBetween(s, f, t) : alwaysOpen`).
 */
export function sessionsOf(_instrument: Instrument): SessionsBetween {
  return alwaysOpen;
}
