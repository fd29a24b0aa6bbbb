import { describe, expect, it } from 'vitest';
import { Broker, type BrokerListener, type BrokerOptions } from '../../src/sim/broker/broker.ts';
import type { Execution, MarginFigures, OrderRequest, SimOrder } from '../../src/sim/broker/types.ts';
import { DEFAULT_INSTRUMENTS, type Instrument } from '../../src/instruments/instruments.ts';
import { InstrumentCatalogue } from '../../src/instruments/catalogue.ts';
import { PriceFeed } from '../../src/sim/market/priceFeed.ts';

const catalogue = new InstrumentCatalogue(DEFAULT_INSTRUMENTS);
const ES = catalogue.bySymbolName('ES') as Instrument;
const ZC = catalogue.bySymbolName('ZC') as Instrument;

interface Recorded {
  submitted: SimOrder[];
  fills: Execution[];
  cancelled: SimOrder[];
  rejected: { orderId: number; code: number; message: string }[];
  whatIf: MarginFigures[];
}

function setup(options: Partial<BrokerOptions> = {}, cash = 1_000_000) {
  const feed = new PriceFeed(catalogue.products, 7, 0.0001);
  let now = Date.UTC(2026, 10, 24, 15, 0);
  const clock = { now: () => now };
  const broker = new Broker(feed, [{ id: 'DU1', cash, currency: 'USD' }, { id: 'DU2', cash: 1_000, currency: 'USD' }], {
    slippageTicks: 0,
    partialFills: { enabled: false, maxQtyPerFill: 1 },
    commissionPerContract: 2,
    execIdPrefix: 'test',
    ...options,
  }, clock);
  const rec: Recorded = { submitted: [], fills: [], cancelled: [], rejected: [], whatIf: [] };
  const listener: BrokerListener = {
    orderSubmitted: (o) => rec.submitted.push({ ...o }),
    orderFilled: (_o, e) => rec.fills.push(e),
    orderCancelled: (o) => rec.cancelled.push({ ...o }),
    orderRejected: (_c, orderId, code, message) => rec.rejected.push({ orderId, code, message }),
    whatIfAnswered: (_o, m) => rec.whatIf.push(m),
  };
  broker.setListener(listener);
  feed.setPrice(ES, 5000);
  feed.setPrice(ZC, 430);
  const advance = (ms: number) => {
    now += ms;
  };
  return { broker, feed, rec, advance, clock };
}

let nextId = 1;
function req(overrides: Partial<OrderRequest>): OrderRequest {
  return {
    orderId: nextId++, clientId: 1, account: '', instrument: ES, action: 'BUY', totalQuantity: 1, orderType: 'MKT',
    tif: 'DAY', orderRef: '', whatIf: false, outsideRth: false, parentId: 0, ocaGroup: '', ...overrides,
  };
}

describe('matching engine', () => {
  it('fills market orders at the last price plus slippage, against the buyer and the seller', () => {
    const { broker, rec } = setup({ slippageTicks: 2 });
    broker.place(req({ action: 'BUY', totalQuantity: 3 }));
    broker.place(req({ action: 'SELL', totalQuantity: 1 }));
    expect(rec.fills.map((f) => [f.side, f.qty, f.price])).toEqual([['BOT', 3, 5000.5], ['SLD', 1, 4999.5]]);
  });

  it('rests a limit order until the price crosses, then fills at the limit', () => {
    const { broker, feed, rec } = setup();
    const order = req({ orderType: 'LMT', lmtPrice: 4990, orderRef: 'L1' });
    broker.place(order);
    expect(rec.fills).toHaveLength(0);
    expect(broker.openOrders().map((o) => o.orderId)).toEqual([order.orderId]);
    feed.setPrice(ES, 4990.25);
    broker.matchAll();
    expect(rec.fills).toHaveLength(0);
    feed.setPrice(ES, 4985);
    broker.matchAll();
    expect(rec.fills.map((f) => [f.price, f.orderRef])).toEqual([[4990, 'L1']]);
    expect(broker.openOrders()).toHaveLength(0);
  });

  it('fills a marketable limit at the market price on arrival', () => {
    const { broker, rec } = setup();
    broker.place(req({ action: 'SELL', orderType: 'LMT', lmtPrice: 4900 }));
    expect(rec.fills[0]?.price).toBe(5000);
  });

  it('triggers stops only when the stop price trades; stop-limits then behave as limits', () => {
    const { broker, feed, rec } = setup();
    broker.place(req({ action: 'SELL', orderType: 'STP', auxPrice: 4995 }));
    broker.place(req({ action: 'BUY', orderType: 'STP LMT', auxPrice: 5010, lmtPrice: 5011 }));
    feed.setPrice(ES, 4995.25);
    broker.matchAll();
    expect(rec.fills).toHaveLength(0);
    feed.setPrice(ES, 4995);
    broker.matchAll();
    expect(rec.fills.map((f) => [f.side, f.price])).toEqual([['SLD', 4995]]);
    feed.setPrice(ES, 5012); // triggers the stop-limit, but 5012 is through its 5011 limit: it rests
    broker.matchAll();
    expect(rec.fills).toHaveLength(1);
    feed.setPrice(ES, 5011);
    broker.matchAll();
    expect(rec.fills.map((f) => [f.side, f.price])).toEqual([['SLD', 4995], ['BOT', 5011]]);
  });

  it('partially fills one chunk per matching pass, reporting cumulative quantity and average price', () => {
    const { broker, feed, rec } = setup({ partialFills: { enabled: true, maxQtyPerFill: 2 } });
    const order = req({ totalQuantity: 5, orderRef: 'P' });
    broker.place(order);
    expect(broker.order(1, order.orderId)?.status).toBe('Submitted');
    feed.setPrice(ES, 5001);
    broker.matchAll();
    feed.setPrice(ES, 5002);
    broker.matchAll();
    expect(rec.fills.map((f) => [f.qty, f.cumQty, f.price])).toEqual([[2, 2, 5000], [2, 4, 5001], [1, 5, 5002]]);
    const done = broker.order(1, order.orderId);
    expect(done?.status).toBe('Filled');
    expect(done?.avgFillPrice).toBeCloseTo((2 * 5000 + 2 * 5001 + 5002) / 5, 9);
    expect(broker.ledger.byOrderRef('P').reduce((sum, e) => sum + e.qty, 0)).toBe(5);
  });

  it('cancels the unfilled remainder of IOC orders; cancelWhere cancels only the working orders it picks', () => {
    const { broker, rec } = setup();
    const ioc = req({ orderType: 'LMT', lmtPrice: 4000, tif: 'IOC' });
    const day = req({ orderType: 'LMT', lmtPrice: 4000, tif: 'DAY' });
    const gtc = req({ orderType: 'LMT', lmtPrice: 4000, tif: 'GTC' });
    for (const o of [ioc, day, gtc]) broker.place(o);
    expect(rec.cancelled.map((o) => o.orderId)).toEqual([ioc.orderId]);
    broker.cancelWhere((o) => o.tif === 'DAY');
    expect(rec.cancelled.map((o) => o.orderId)).toEqual([ioc.orderId, day.orderId]);
    expect(broker.openOrders().map((o) => o.orderId)).toEqual([gtc.orderId]);
  });

  it('enforces increasing order ids per client, and modifies working orders placed again with their id', () => {
    const { broker, feed, rec } = setup();
    const first = req({ clientId: 9, orderId: 100, orderType: 'LMT', lmtPrice: 4900 });
    broker.place(first);
    broker.place(req({ clientId: 9, orderId: 99 }));
    broker.place(req({ clientId: 10, orderId: 99 })); // other client: its own id space
    expect(rec.rejected).toEqual([{ orderId: 99, code: 103, message: 'Duplicate order id' }]);
    broker.place({ ...first, lmtPrice: 4950 });
    expect(broker.order(9, 100)?.lmtPrice).toBe(4950);
    feed.setPrice(ES, 4950);
    broker.matchAll();
    expect(rec.fills.find((f) => f.orderId === 100)?.price).toBe(4950);
    broker.place({ ...first, lmtPrice: 4800 });
    expect(rec.rejected.at(-1)).toMatchObject({ orderId: 100, code: 103 });
    expect(broker.nextValidId(9)).toBe(101);
  });

  it('reports cancel errors 10147 (unknown) and 10148 (already filled)', () => {
    const { broker, rec } = setup();
    const filled = req({});
    broker.place(filled);
    broker.cancel(1, 424242);
    broker.cancel(1, filled.orderId);
    expect(rec.rejected.map((r) => r.code)).toEqual([10147, 10148]);
    expect(rec.rejected[1]?.message).toContain('state: Filled');
  });

  it('answers whatIf with initial and maintenance margin and rejects orders the equity cannot carry', () => {
    const { broker, rec } = setup();
    broker.place(req({ totalQuantity: 2, whatIf: true }));
    expect(rec.whatIf[0]).toMatchObject({ initMarginBefore: 0, initMarginAfter: 2 * ES.initialMargin, maintMarginAfter: 2 * ES.maintenanceMargin, commission: 4 });
    expect(rec.fills).toHaveLength(0);
    broker.place(req({ account: 'DU2', instrument: ZC, totalQuantity: 1 }));
    expect(rec.rejected.at(-1)?.code).toBe(201);
    expect(rec.rejected.at(-1)?.message).toMatch(/EQUITY WITH LOAN VALUE \[1000\.00 USD\] MUST EXCEED THE INITIAL MARGIN \[1500\.00 USD\]/);
  });

  it('keeps positions, realized P&L and the ledger consistent (grain prices in cents use the magnifier)', () => {
    const { broker, feed, rec, advance } = setup();
    broker.place(req({ instrument: ZC, totalQuantity: 4, orderRef: 'open' }));
    advance(60_000);
    feed.setPrice(ZC, 432.5);
    broker.place(req({ instrument: ZC, action: 'SELL', totalQuantity: 6, orderRef: 'flip' }));
    const account = broker.accounts.get('DU1');
    expect(account?.position(ZC)).toBe(-2);
    // 4 contracts x 2.5 cents x $50 per cent = $500 gross on the closing part.
    expect(account?.realizedPnl).toBeCloseTo(500, 9);
    expect(rec.fills[1]?.realizedPnl).toBeCloseTo(500 - 12, 9);
    expect(rec.fills[0]?.realizedPnl).toBeUndefined();
    expect(account?.cash).toBeCloseTo(1_000_000 + 500 - 20, 9);
    expect(broker.ledger.all().map((e) => [e.orderRef, e.side, e.qty, e.time - (broker.ledger.all()[0]?.time ?? 0)])).toEqual([
      ['open', 'BOT', 4, 0],
      ['flip', 'SLD', 6, 60_000],
    ]);
    expect(new Set(broker.ledger.all().map((e) => e.execId)).size).toBe(2);
  });

  it('rejects the next N orders on demand and halts trading while connectivity is lost', () => {
    const { broker, rec } = setup();
    broker.rejectNextOrders(2);
    broker.place(req({}));
    broker.place(req({}));
    broker.place(req({}));
    expect(rec.rejected.map((r) => r.code)).toEqual([201, 201]);
    expect(rec.fills).toHaveLength(1);
    broker.halted = true;
    broker.place(req({}));
    expect(rec.fills).toHaveLength(1);
    broker.halted = false;
    broker.matchAll();
    expect(rec.fills).toHaveLength(2);
  });
});

describe('price feed', () => {
  const allOpen = new Uint8Array(catalogue.products.length).fill(1);

  it('is reproducible from its seed and stays on the tick grid', () => {
    const a = new PriceFeed(catalogue.products, 99, 0.001);
    const b = new PriceFeed(catalogue.products, 99, 0.001);
    for (let i = 0; i < 500; i++) {
      a.step(allOpen);
      b.step(allOpen);
    }
    expect(Array.from(a.ticks)).toEqual(Array.from(b.ticks));
    for (const instrument of catalogue.products) {
      const price = a.price(instrument);
      expect(Math.abs(price / instrument.tickSize - Math.round(price / instrument.tickSize))).toBeLessThan(1e-6);
    }
    const c = new PriceFeed(catalogue.products, 100, 0.001);
    c.step(allOpen);
    a.step(allOpen);
    expect(Array.from(c.ticks)).not.toEqual(Array.from(a.ticks));
  });

  it('does not move a market whose session is closed', () => {
    const feed = new PriceFeed(catalogue.products, 5, 0.01);
    const open = new Uint8Array(catalogue.products.length).fill(1);
    open[ES.index] = 0;
    const before = feed.priceTicks(ES.index);
    for (let i = 0; i < 50; i++) feed.step(open);
    expect(feed.priceTicks(ES.index)).toBe(before);
    expect(feed.priceTicks(ZC.index)).not.toBe(Math.round(ZC.initialPrice / ZC.tickSize));
  });
});
