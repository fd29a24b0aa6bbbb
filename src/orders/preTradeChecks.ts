import type { OrderSpec } from '../machines/order/orderTypes';
import type { PositionBook } from './positionBook';

export interface PreTradeLimits {
  /** Largest single order per instrument (pysystemtrade's trade limit); `*` is the default. */
  maxOrderSize: Record<string, number>;
  /** Largest absolute net position per instrument; `*` is the default. */
  positionLimit: Record<string, number>;
}

export const DEFAULT_PRE_TRADE_LIMITS: PreTradeLimits = { maxOrderSize: { '*': 100 }, positionLimit: { '*': 500 } };

export interface PreTradeContext {
  limits: PreTradeLimits;
  positions: PositionBook;
  /** Instruments locked by a reconciliation break: no new orders until it is resolved. */
  lockedInstruments: ReadonlySet<string>;
}

export type PreTradeResult = { ok: true } | { ok: false; reasons: string[] };

const limitFor = (table: Record<string, number>, symbol: string) => table[symbol] ?? table['*'] ?? Number.POSITIVE_INFINITY;

/** The checks an order must pass before it may be sent; every failed one is named. */
export function preTradeChecks(order: OrderSpec, context: PreTradeContext): PreTradeResult {
  const reasons: string[] = [];
  if (context.lockedInstruments.has(order.symbol)) reasons.push(`${order.symbol} is locked by an open reconciliation break`);
  const maxSize = limitFor(context.limits.maxOrderSize, order.symbol);
  if (order.quantity > maxSize) reasons.push(`quantity ${order.quantity} exceeds the maximum order size ${maxSize} for ${order.symbol}`);
  const current = context.positions.position(order.account, order.symbol);
  const after = current + (order.side === 'BUY' ? order.quantity : -order.quantity);
  const limit = limitFor(context.limits.positionLimit, order.symbol);
  // An order that brings the position closer to flat is always allowed: it reduces risk.
  if (Math.abs(after) > limit && Math.abs(after) > Math.abs(current)) {
    reasons.push(`position would be ${after}, beyond the limit ${limit} for ${order.symbol}`);
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}
