import type { Instrument } from '../../instruments/instruments.ts';
import type { OrderRequest, SimOrder } from './types.ts';

const EPS = 1e-9;

/**
 * One order's matching rule against the last price (in ticks). Returns the fill price in ticks,
 * or undefined if the order does not trade now. Updates the order's trigger/resting flags:
 * - MKT pays `slippageTicks` away from the last price;
 * - LMT taking liquidity on arrival fills at the market, once resting it fills at its limit;
 * - STP / STP LMT wait for the stop to trade, then behave as MKT / LMT (a newly arrived limit).
 */
export function fillPriceTicks(order: SimOrder, lastTicks: number, slippageTicks: number): number | undefined {
  const i = order.instrument;
  const buy = order.action === 'BUY';
  if ((order.orderType === 'STP' || order.orderType === 'STP LMT') && !order.triggered) {
    const stop = toTicks(order.auxPrice as number, i, buy ? 'up' : 'down');
    if (buy ? lastTicks < stop : lastTicks > stop) return undefined;
    order.triggered = true;
  }
  if (order.orderType === 'MKT' || order.orderType === 'STP') {
    return buy ? lastTicks + slippageTicks : Math.max(1, lastTicks - slippageTicks);
  }
  const limit = toTicks(order.lmtPrice as number, i, buy ? 'down' : 'up');
  const marketable = buy ? lastTicks <= limit : lastTicks >= limit;
  const price = marketable ? (order.resting ? limit : lastTicks) : undefined;
  order.resting = true;
  return price;
}

/** Onto the tick grid: buy limits round down and sell limits up (never worse than asked); stops round away from the market. */
function toTicks(price: number, instrument: Instrument, round: 'up' | 'down'): number {
  const raw = price / instrument.tickSize;
  return round === 'up' ? Math.ceil(raw - EPS) : Math.floor(raw + EPS);
}

export function validatePrices(request: OrderRequest): string | undefined {
  if (!(request.totalQuantity > 0)) return 'Order quantity must be positive';
  const needsLimit = request.orderType === 'LMT' || request.orderType === 'STP LMT';
  const needsStop = request.orderType === 'STP' || request.orderType === 'STP LMT';
  if (needsLimit && !(request.lmtPrice !== undefined && request.lmtPrice > 0)) return 'Invalid limit price';
  if (needsStop && !(request.auxPrice !== undefined && request.auxPrice > 0)) return 'Invalid stop price';
  return undefined;
}

/**
 * Builds the order with every field spelled out: an object spread plus extra properties puts V8
 * objects into dictionary mode (~1.6 KB each instead of ~0.3 KB), and the broker keeps every order.
 */
export function createOrder(r: OrderRequest, account: string, permId: number): SimOrder {
  return {
    orderId: r.orderId,
    clientId: r.clientId,
    account,
    instrument: r.instrument,
    action: r.action,
    totalQuantity: r.totalQuantity,
    orderType: r.orderType,
    lmtPrice: r.lmtPrice,
    auxPrice: r.auxPrice,
    tif: r.tif,
    orderRef: r.orderRef,
    whatIf: r.whatIf,
    outsideRth: r.outsideRth,
    parentId: r.parentId,
    ocaGroup: r.ocaGroup,
    permId,
    status: 'Submitted',
    filled: 0,
    avgFillPrice: 0,
    lastFillPrice: 0,
    triggered: false,
    resting: false,
  };
}
