import type { OrderSpec } from '../machines/orders/orderTypes.ts';
import type { PositionBook } from './positionBook.ts';
import type { QuoteSource } from '../machines/orders/algorithms/quotes.ts';
import type { Now } from '../shared/clock.ts';
import { priceText } from '../shared/priceText.ts';

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
  /** Largest worst-case position per symbol, all contract months together; `*` is the default. */
  positionLimit: Record<string, number>;
  /** Largest worst-case position in any one contract month; falls back to `positionLimit`. */
  positionLimitPerMonth?: Record<string, number>;
  /** Off when absent. */
  priceCollar?: PriceCollar;
  /** Symbols whose prices may be zero or negative (spreads, some energy contracts); others must be positive. */
  nonPositivePrices?: readonly string[];
}

export const DEFAULT_PRE_TRADE_LIMITS: PreTradeLimits = { maxOrderSize: { '*': 100 }, positionLimit: { '*': 500 } };

export interface PreTradeContext {
  limits: PreTradeLimits;
  positions: PositionBook;
  /** Instruments locked by a reconciliation break: no new orders until it is resolved. */
  lockedInstruments: ReadonlySet<string>;
  /** The last consolidated prices, for the collar. */
  quotes?: QuoteSource;
  /** Minimum price increment of a symbol: prices must lie on its grid. */
  tickSize?: (symbol: string) => number;
  /** Intake halted (lost Redis state, the kill switch): only orders that reduce risk pass. */
  halt?: { readonly reason: string | null };
  /** Why no order may be sent to the connected account now (a LIVE account without the opt-in), or null. */
  accountRefusal?: () => string | null;
  now?: Now;
}

export interface CheckOptions {
  /** The order whose working quantity these terms replace (a modify): its own exposure is left out. */
  replacing?: string;
  /** Already filled of the order being modified: only the rest can still fill. */
  filled?: number;
}

export type PreTradeResult = { ok: true } | { ok: false; reasons: string[] };

const limitFor = (table: Record<string, number>, symbol: string) => table[symbol] ?? table['*'] ?? Number.POSITIVE_INFINITY;

/**
 * The checks an order (or a modify, with its new terms) must pass before it may be sent; every
 * failed one is named.
 */
export function preTradeChecks(order: OrderSpec, context: PreTradeContext, options: CheckOptions = {}): PreTradeResult {
  const reasons: string[] = [];
  const halted = context.halt?.reason ?? null;
  if (halted !== null && !reducesRisk(order, context.positions)) reasons.push(`halted: ${halted}`);
  const accountRefusal = context.accountRefusal?.() ?? null;
  if (accountRefusal !== null) reasons.push(accountRefusal);
  if (context.lockedInstruments.has(order.symbol)) reasons.push(`${order.symbol} is locked by an open reconciliation break`);
  const maxSize = limitFor(context.limits.maxOrderSize, order.symbol);
  if (order.quantity > maxSize) reasons.push(`quantity ${order.quantity} exceeds the maximum order size ${maxSize} for ${order.symbol}`);
  reasons.push(...priceProblems(order, context));
  reasons.push(...limitProblems(order, context, options));
  const collarReason = collarCheck(order, context);
  if (collarReason) reasons.push(collarReason);
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/** Brings the symbol's net position towards flat without crossing it: allowed even while halted. */
function reducesRisk(order: OrderSpec, positions: PositionBook): boolean {
  const position = positions.position(order.account, order.symbol);
  return order.side === 'SELL' ? position > 0 && order.quantity <= position : position < 0 && order.quantity <= -position;
}

function priceProblems(order: OrderSpec, context: PreTradeContext): string[] {
  const problems: string[] = [];
  const tick = context.tickSize?.(order.symbol);
  const mayBeNonPositive = context.limits.nonPositivePrices?.includes(order.symbol) ?? false;
  for (const [field, price] of [['limitPrice', order.limitPrice], ['stopPrice', order.stopPrice]] as const) {
    if (price === undefined) continue;
    if (!Number.isFinite(price)) {
      problems.push(`${field} ${price} is not a finite number`);
      continue;
    }
    const shown = priceText(price, tick);
    if (price <= 0 && !mayBeNonPositive) problems.push(`${field} ${shown} must be positive for ${order.symbol}`);
    if (tick !== undefined && tick > 0 && !onTick(price, tick)) problems.push(`${field} ${shown} is not on the ${tick} tick of ${order.symbol}`);
  }
  return problems;
}

/** Within a millionth of a tick: prices arrive as binary floats (ZN's 1/64 is exact, 0.1 is not). */
function onTick(price: number, tick: number): boolean {
  const ticks = price / tick;
  return Math.abs(ticks - Math.round(ticks)) < 1e-6;
}

/**
 * Worst case per side: the long side is the position plus every working buy plus this order;
 * the short side likewise with sells. Measured for the symbol (all months) and for the order's
 * contract month. An order that only moves a side back towards flat is never refused by it.
 */
function limitProblems(order: OrderSpec, context: PreTradeContext, options: CheckOptions): string[] {
  const remaining = order.quantity - (options.filled ?? 0);
  const month = context.positions.monthOf(order.symbol, order.expiry);
  const scopes = [
    { label: order.symbol, month: undefined, limit: limitFor(context.limits.positionLimit, order.symbol) },
    { label: `${order.symbol} ${month}`, month, limit: limitFor(context.limits.positionLimitPerMonth ?? context.limits.positionLimit, order.symbol) },
  ];
  const problems: string[] = [];
  for (const scope of scopes) {
    if (scope.month === '') continue;
    const exposure = context.positions.exposure({ account: order.account, symbol: order.symbol, ...(scope.month !== undefined ? { month: scope.month } : {}) }, options.replacing);
    if (order.side === 'BUY') {
      const worst = exposure.position + exposure.workingBuys + remaining;
      if (worst > scope.limit) problems.push(`worst-case long position would be ${worst} (position ${exposure.position}, working buys ${exposure.workingBuys}, this order ${remaining}), beyond the limit ${scope.limit} for ${scope.label}`);
    } else {
      const worst = exposure.position - exposure.workingSells - remaining;
      if (worst < -scope.limit) problems.push(`worst-case short position would be ${worst} (position ${exposure.position}, working sells ${exposure.workingSells}, this order ${remaining}), beyond the limit ${scope.limit} for ${scope.label}`);
    }
  }
  return problems;
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
      const tick = context.tickSize?.(order.symbol);
      return `price ${priceText(price, tick)} is ${deviationPct.toFixed(2)}% from the last price ${priceText(touch.last, tick)} of ${order.symbol}, beyond the collar of ${maxPct}%`;
    }
  }
  return null;
}
