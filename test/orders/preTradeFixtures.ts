import { PositionBook } from '../../src/orders/positionBook.ts';
import type { PreTradeContext, PreTradeLimits } from '../../src/orders/preTradeChecks.ts';
import type { OrderSpec } from '../../src/machines/orders/orderTypes.ts';

/** A one-lot ES market order for account DU1, with whatever the test changes. */
export const preTradeOrder = (over: Partial<OrderSpec> = {}): OrderSpec => ({
  clientOrderId: 'o1',
  account: 'DU1',
  symbol: 'ES',
  expiry: '202703',
  side: 'BUY',
  quantity: 1,
  orderType: 'MKT',
  timeInForce: 'DAY',
  ...over,
});

/** Pre-trade limits of 10 a order and 20 a symbol, an empty book, ES on 0.25 and ZN on 1/64 ticks. */
export function preTradeContext(limits: Partial<PreTradeLimits> = {}, extra: Partial<PreTradeContext> = {}): PreTradeContext & { positions: PositionBook } {
  return {
    limits: { maxOrderSize: { '*': 10 }, positionLimit: { '*': 20 }, ...limits },
    positions: new PositionBook(),
    lockedInstruments: new Set(),
    tickSize: (symbol: string) => (symbol === 'ZN' ? 1 / 64 : 0.25),
    ...extra,
  } as PreTradeContext & { positions: PositionBook };
}
