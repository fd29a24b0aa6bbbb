import type { OrderSpec } from '../machines/order/orderTypes';
import type { PositionBook } from './positionBook';
import type { QuoteSource } from '../machines/order/algorithms/quotes';

/**
 * A limit or stop price too far from the last consolidated price is almost always a fat finger
 * or a stale signal: such orders are refused before they reach the broker.
 */
export interface PriceCollar {
  /** Largest distance from the last price, in percent of it, by symbol; `*` is the default. */
  maxDeviationPct: Record<string, number>;
  /** A price older than this is no reference. */
  maxPriceAgeMs: number;
  /** With no recent price: refuse (safe) or let the order through. */
  whenNoPrice: 'reject' | 'allow';
}

export interface PreTradeLimits {
  /** Largest single order per instrument (pysystemtrade's trade limit); `*` is the default. */
  maxOrderSize: Record<string, number>;
  /** Largest absolute net position per instrument; `*` is the default. */
  positionLimit: Record<string, number>;
  /** Off when absent. */
  priceCollar?: PriceCollar;
}

export const DEFAULT_PRE_TRADE_LIMITS: PreTradeLimits = { maxOrderSize: { '*': 100 }, positionLimit: { '*': 500 } };

export interface PreTradeContext {
  limits: PreTradeLimits;
  positions: PositionBook;
  /** Instruments locked by a reconciliation break: no new orders until it is resolved. */
  lockedInstruments: ReadonlySet<string>;
  /** The last consolidated prices, for the collar. */
  quotes?: QuoteSource;
  now?: () => number;
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
  const collarReason = collarCheck(order, context);
  if (collarReason) reasons.push(collarReason);
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

function collarCheck(order: OrderSpec, context: PreTradeContext): string | null {
  const collar = context.limits.priceCollar;
  const prices = [order.limitPrice, order.stopPrice].filter((p): p is number => p !== undefined);
  if (!collar || prices.length === 0) return null;
  const touch = context.quotes?.touch(order.symbol) ?? null;
  const now = context.now?.() ?? Date.now();
  if (!touch || !(touch.last > 0) || now - touch.tsMs > collar.maxPriceAgeMs) {
    return collar.whenNoPrice === 'reject' ? `no price for ${order.symbol} within ${collar.maxPriceAgeMs} ms to check the price collar against` : null;
  }
  const maxPct = limitFor(collar.maxDeviationPct, order.symbol);
  for (const price of prices) {
    const deviationPct = (Math.abs(price - touch.last) / touch.last) * 100;
    if (deviationPct > maxPct) {
      return `price ${price} is ${deviationPct.toFixed(2)}% from the last price ${touch.last} of ${order.symbol}, beyond the collar of ${maxPct}%`;
    }
  }
  return null;
}
