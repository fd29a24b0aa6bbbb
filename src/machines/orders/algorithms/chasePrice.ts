import type { Touch } from './quotes.ts';

export type Side = 'BUY' | 'SELL';

/** Rounds to the instrument's tick; a buyer rounds down and a seller up, so rounding never pays more. */
export function roundToTick(price: number, tickSize: number, side: Side): number {
  const ticks = price / tickSize;
  // A hair of tolerance: 5000.25 / 0.25 is not always exactly 20001 in floating point.
  const whole = side === 'BUY' ? Math.floor(ticks + 1e-9) : Math.ceil(ticks - 1e-9);
  return Number((whole * tickSize).toFixed(10));
}

/** Limit-chase joins the touch on its own side: the best bid for a buyer, the best ask for a seller. */
export function chaseTarget(touch: Touch, side: Side, tickSize: number): number | null {
  const target = side === 'BUY' ? touch.bid : touch.ask;
  if (!Number.isFinite(target) || target <= 0) return null;
  return roundToTick(target, tickSize, side);
}

/**
 * At the deadline a chase that crosses takes the far touch plus `ticks` ticks of room, so the
 * limit is marketable even if the touch moves a little on the way.
 */
export function crossPrice(touch: Touch, side: Side, tickSize: number, ticks: number): number | null {
  const far = side === 'BUY' ? touch.ask : touch.bid;
  if (!Number.isFinite(far) || far <= 0) return null;
  const room = ticks * tickSize;
  const price = side === 'BUY' ? far + room : Math.max(tickSize, far - room);
  return roundToTick(price, tickSize, side === 'BUY' ? 'SELL' : 'BUY');
}

/** Whether a new limit differs from the working one by at least one tick (smaller moves are noise). */
export function worthRepricing(current: number | undefined, target: number, tickSize: number): boolean {
  return current === undefined || Math.abs(current - target) >= tickSize / 2;
}
