/** One trading session, epoch ms, [open, close): the futures calendar's TradingSession. */
export interface TradingSession {
  open: number;
  close: number;
}

/** The trading sessions of one instrument overlapping [fromMs, toMs), ascending. */
export type SessionsBetween = (fromMs: number, toMs: number) => readonly TradingSession[];

/** A market that never closes: the whole window is one session. */
export const alwaysOpen: SessionsBetween = (fromMs, toMs) => (fromMs < toMs ? [{ open: fromMs, close: toMs }] : []);
