import { describe, expect, it } from 'vitest';
import { EventName, futures, order, simulatorClients } from './harness.ts';

const ACCOUNT = 'DU1234567';
const START_CASH = 1_000_000;

/**
 * The requests real clients (ib_async, ib_insync, IB's samples) send at connect and start-up, each
 * through the real @stoqey/ib IBApi client over TCP: every one is answered, with its end marker where
 * IB sends one, so nothing waits for a timeout. TestClient fails a test on any error it did not
 * claim, including decoder underruns and unprocessed fields.
 *
 * 177 is the lowest version tested through @stoqey/ib: below it IB's decoder reads a faProfile field
 * in COMPLETED_ORDER that @stoqey/ib 1.6.10 skips (startupWire.test.ts checks those versions field by field).
 */
describe.each([177, 193])('connect-time requests through IBApi at server version %i', (version) => {
  const t = simulatorClients(() => ({ serverVersionRange: { min: 100, max: version } }));

  /** A round trip: everything the simulator wrote before answering has been received. */
  async function roundTrip(): Promise<void> {
    const time = t.client.next(EventName.currentTime);
    t.client.ib.reqCurrentTime();
    await time;
  }

  it('reqCompletedOrders: filled and cancelled orders, then the end marker', async () => {
    const id = await t.connect();
    const filled = t.client.next(EventName.orderStatus, (oid: number, s: string) => oid === id && s === 'Filled');
    t.client.ib.placeOrder(id, futures('ES'), order('BUY', 2, 'MKT', { orderRef: `done-${version}` }));
    await filled;
    const resting = t.client.next(EventName.orderStatus, (oid: number, s: string) => oid === id + 1 && s === 'Submitted');
    t.client.ib.placeOrder(id + 1, futures('GC'), order('BUY', 1, 'LMT', { lmtPrice: t.sim.price('GC') - 50, orderRef: `gone-${version}` }));
    await resting;
    const cancelled = t.client.next(EventName.orderStatus, (oid: number, s: string) => oid === id + 1 && s === 'Cancelled');
    t.client.ib.cancelOrder(id + 1);
    await cancelled;
    await t.client.expectError(202, id + 1);

    const completed = t.client.collect(EventName.completedOrder, EventName.completedOrdersEnd);
    t.client.ib.reqCompletedOrders(false);
    const orders = await completed;
    const done = orders.find(([, o]) => o.orderRef === `done-${version}`);
    const gone = orders.find(([, o]) => o.orderRef === `gone-${version}`);
    expect(done?.[0]).toMatchObject({ symbol: 'ES', secType: 'FUT', localSymbol: 'ESH7', exchange: 'CME' });
    expect(done?.[1]).toMatchObject({ action: 'BUY', totalQuantity: 2, orderType: 'MKT', account: ACCOUNT, filledQuantity: 2 });
    expect(done?.[2]).toMatchObject({ status: 'Filled', completedStatus: 'Filled' });
    expect(done?.[2].completedTime).toMatch(/^\d{8} \d{2}:\d{2}:\d{2} UTC$/);
    expect(gone?.[1]).toMatchObject({ orderType: 'LMT', filledQuantity: 0 });
    expect(gone?.[2]).toMatchObject({ status: 'Cancelled', completedStatus: 'Cancelled' });
    // Working orders are not completed.
    expect(orders.every(([, , state]) => state.status === 'Filled' || state.status === 'Cancelled')).toBe(true);
  });

  it('reqPositionsMulti: positions then the end marker, a fill streams the change, cancel stops it', async () => {
    const id = await t.connect();
    const positions = t.client.collect(EventName.positionMulti, EventName.positionMultiEnd, (reqId: number) => reqId === 31);
    t.client.ib.reqPositionsMulti(31, ACCOUNT, '');
    const initial = await positions;
    for (const [reqId, account, , , pos] of initial) {
      expect([reqId, account]).toEqual([31, ACCOUNT]);
      expect(typeof pos).toBe('number');
    }
    const before = t.sim.positions(ACCOUNT).find((p) => p.symbol === 'ZN')?.qty ?? 0;
    const update = t.client.next(EventName.positionMulti, (reqId: number, _a: string, _m: string, c: { symbol: string }) => reqId === 31 && c.symbol === 'ZN');
    t.client.ib.placeOrder(id, futures('ZN'), order('SELL', 3, 'MKT'));
    const [, account, modelCode, contract, pos, avgCost] = await update;
    expect([account, modelCode, contract.conId, pos]).toEqual([ACCOUNT, '', 815824221, before - 3]);
    const zn = t.sim.positions(ACCOUNT).find((p) => p.symbol === 'ZN');
    expect(avgCost).toBe(Math.round((zn?.avgCost ?? NaN) * 100) / 100);

    t.client.ib.cancelPositionsMulti(31);
    await roundTrip();
    let streamed = 0;
    t.client.on(EventName.positionMulti, () => streamed++);
    const filled = t.client.next(EventName.orderStatus, (oid: number, s: string) => oid === id + 1 && s === 'Filled');
    t.client.ib.placeOrder(id + 1, futures('ZN'), order('BUY', 3, 'MKT'));
    await filled;
    await roundTrip();
    expect(streamed).toBe(0);
  });

  it('reqAccountUpdatesMulti: values then the end marker; ledgerAndNLV narrows them; cancel stops updates', async () => {
    const id = await t.connect();
    const values = t.client.collect(EventName.accountUpdateMulti, EventName.accountUpdateMultiEnd, (reqId: unknown) => Number(reqId) === 41);
    t.client.ib.reqAccountUpdatesMulti(41, ACCOUNT, '', false);
    const full = new Map((await values).map(([, , , key, value, currency]) => [`${key}/${currency}`, value]));
    expect(full.get('AccountCode/')).toBe(ACCOUNT);
    expect(full.get(`NetLiquidation/USD`)).toBe(String(t.sim.accountValues(ACCOUNT).NetLiquidation));
    expect(full.get('CashBalance/BASE')).toBeDefined();
    expect(full.get('DayTradesRemaining/')).toBe('-1');

    const light = t.client.collect(EventName.accountUpdateMulti, EventName.accountUpdateMultiEnd, (reqId: unknown) => Number(reqId) === 42);
    t.client.ib.reqAccountUpdatesMulti(42, ACCOUNT, '', true);
    const keys = new Set((await light).map(([, , , key]) => key));
    expect(keys.has('NetLiquidation')).toBe(true);
    expect(keys.has('CashBalance')).toBe(true);
    expect(keys.has('InitMarginReq')).toBe(false);

    // A fill streams the values again (both subscriptions), until cancelled.
    const streamed = t.client.next(EventName.accountUpdateMulti, (reqId: number, _a: string, _m: string, key: string) => reqId === 41 && key === 'InitMarginReq');
    t.client.ib.placeOrder(id, futures('CL'), order('BUY', 1, 'MKT'));
    expect(Number((await streamed)[4])).toBe(t.sim.accountValues(ACCOUNT).InitMarginReq);
    t.client.ib.cancelAccountUpdatesMulti(41);
    t.client.ib.cancelAccountUpdatesMulti(42);
    await roundTrip();
    let after = 0;
    t.client.on(EventName.accountUpdateMulti, () => after++);
    const filled = t.client.next(EventName.orderStatus, (oid: number, s: string) => oid === id + 1 && s === 'Filled');
    t.client.ib.placeOrder(id + 1, futures('CL'), order('SELL', 1, 'MKT'));
    await filled;
    await roundTrip();
    expect(after).toBe(0);
  });

  it('reqAccountUpdatesMulti and reqPnL for an unknown account fail at once with 321 on the request id', async () => {
    await t.connect();
    t.client.ib.reqAccountUpdatesMulti(43, 'U999', '', false);
    const error = await t.client.expectError(321, 43);
    expect(error.message).toBe("Error validating request.-'reqAccountUpdatesMulti' : cause - Invalid account code 'U999'");
    t.client.ib.reqPnL(44, 'U999', '');
    await t.client.expectError(321, 44);
  });

  it('reqPnL and reqPnLSingle: first figures at once, updates after a fill and a price move, none once cancelled', async () => {
    const id = await t.connect();
    const account0 = t.client.next(EventName.pnl, (reqId: number) => reqId === 51);
    t.client.ib.reqPnL(51, ACCOUNT, '');
    const [, daily0] = await account0;
    expect(daily0).toBeCloseTo(Number(t.sim.accountValues(ACCOUNT).NetLiquidation) - START_CASH, 2);

    const single0 = t.client.next(EventName.pnlSingle, (reqId: number) => reqId === 52);
    t.client.ib.reqPnLSingle(52, ACCOUNT, '', 637533398); // NQ: no position yet on this simulator
    expect((await single0).slice(1)).toEqual([0, 0, 0, 0, 0]);

    // A fill: the position appears and the commission shows in the account's daily P&L.
    const afterFill = t.client.next(EventName.pnlSingle, (reqId: number, pos: number) => reqId === 52 && pos === 2);
    const accountAfterFill = t.client.next(EventName.pnl, (reqId: number) => reqId === 51);
    t.client.ib.placeOrder(id, futures('NQ'), order('BUY', 2, 'MKT'));
    const [, pos, daily, unrealized, realized, value] = await afterFill;
    const nq = t.sim.positions(ACCOUNT).find((p) => p.symbol === 'NQ');
    expect(pos).toBe(2);
    expect(unrealized).toBeCloseTo((t.sim.price('NQ') - (nq?.avgPrice ?? NaN)) * 2 * 20, 2);
    expect([daily, realized]).toEqual([unrealized, 0]);
    expect(value).toBeCloseTo(t.sim.price('NQ') * 2 * 20, 2);
    const [, accountDaily, accountUnrealized, accountRealized] = await accountAfterFill;
    expect(accountDaily).toBeCloseTo(Number(t.sim.accountValues(ACCOUNT).NetLiquidation) - START_CASH, 2);
    expect(accountDaily).toBeCloseTo(accountUnrealized + accountRealized, 2);

    // A price move.
    const moved = t.client.next(EventName.pnlSingle, (reqId: number) => reqId === 52);
    const target = (nq?.avgPrice ?? 0) + 10;
    t.sim.setPrice('NQ', target);
    expect((await moved)[3]).toBeCloseTo(10 * 2 * 20, 2);

    // The same price again changes nothing, so nothing is sent; after the cancel nothing either.
    let updates = 0;
    t.client.on(EventName.pnlSingle, () => updates++);
    t.sim.setPrice('NQ', target);
    await roundTrip();
    expect(updates).toBe(0);
    t.client.ib.cancelPnLSingle(52);
    t.client.ib.cancelPnL(51);
    await roundTrip();
    let accountUpdates = 0;
    t.client.on(EventName.pnl, () => accountUpdates++);
    t.sim.setPrice('NQ', target + 5);
    t.sim.stepPrices(3);
    await roundTrip();
    expect([updates, accountUpdates]).toEqual([0, 0]);
  });

  it('reqAccountSummary: the full documented tag set for group All, then the end marker', async () => {
    await t.connect();
    const tags = [
      'AccountType', 'NetLiquidation', 'TotalCashValue', 'SettledCash', 'AccruedCash', 'BuyingPower', 'EquityWithLoanValue',
      'PreviousDayEquityWithLoanValue', 'GrossPositionValue', 'RegTEquity', 'RegTMargin', 'SMA', 'InitMarginReq', 'MaintMarginReq',
      'AvailableFunds', 'ExcessLiquidity', 'Cushion', 'FullInitMarginReq', 'FullMaintMarginReq', 'FullAvailableFunds',
      'FullExcessLiquidity', 'LookAheadNextChange', 'LookAheadInitMarginReq', 'LookAheadMaintMarginReq', 'LookAheadAvailableFunds',
      'LookAheadExcessLiquidity', 'HighestSeverity', 'DayTradesRemaining', 'Leverage',
    ];
    const summary = t.client.collect(EventName.accountSummary, EventName.accountSummaryEnd, (reqId: number) => reqId === 61);
    t.client.ib.reqAccountSummary(61, 'All', tags.join(','));
    const rows = await summary;
    expect(rows.map(([, , tag]) => tag)).toEqual(tags);
    const byTag = new Map(rows.map(([, account, tag, value, currency]) => [tag, { account, value, currency }]));
    expect(byTag.get('AccountType')).toEqual({ account: ACCOUNT, value: 'INDIVIDUAL', currency: '' });
    expect(byTag.get('PreviousDayEquityWithLoanValue')).toEqual({ account: ACCOUNT, value: String(START_CASH), currency: 'USD' });
    expect(byTag.get('Cushion')?.currency).toBe('');
    expect(byTag.get('LookAheadNextChange')?.currency).toBe('');
  });

  it('reqAccountSummary $LEDGER, $LEDGER:ALL and $LEDGER:<ccy>', async () => {
    await t.connect();
    const ask = async (reqId: number, tags: string) => {
      const summary = t.client.collect(EventName.accountSummary, EventName.accountSummaryEnd, (id: number) => id === reqId);
      t.client.ib.reqAccountSummary(reqId, 'All', tags);
      return (await summary).map(([, , tag, value, currency]) => ({ tag, value, currency }));
    };
    const base = await ask(62, '$LEDGER');
    expect(base.find((r) => r.tag === 'CashBalance')?.currency).toBe('USD');
    expect(new Set(base.map((r) => r.currency))).toEqual(new Set(['USD']));
    const all = await ask(63, '$LEDGER:ALL');
    expect(new Set(all.map((r) => r.currency))).toEqual(new Set(['BASE', 'USD']));
    expect(all.find((r) => r.tag === 'RealCurrency' && r.currency === 'BASE')?.value).toBe('BASE');
    expect((await ask(64, '$LEDGER:USD')).every((r) => r.currency === 'USD')).toBe(true);
    expect(await ask(65, '$LEDGER:EUR')).toEqual([]);
    expect(await ask(66, 'NetLiquidation,NoSuchTag')).toEqual([{ tag: 'NetLiquidation', value: expect.any(String), currency: 'USD' }]);
  });

  it('reqAccountSummary for a group other than All fails with 321 on the request id', async () => {
    await t.connect();
    t.client.ib.reqAccountSummary(67, 'MyGroup', 'NetLiquidation');
    const error = await t.client.expectError(321, 67);
    expect(error.message).toContain("cause - Invalid group 'MyGroup'");
  });

  it('reqMarketDataType: MARKET_DATA_TYPE for each active subscription (live: the simulator has permissions)', async () => {
    await t.connect();
    const firstType = t.client.next(EventName.marketDataType, (reqId: number) => reqId === 71);
    t.client.ib.reqMktData(71, futures('ES'), '', false, false);
    await firstType;
    const types = t.client.collect(EventName.marketDataType, EventName.currentTime);
    t.client.ib.reqMarketDataType(3);
    t.client.ib.reqCurrentTime();
    expect((await types).map(([reqId, type]) => [reqId, type])).toEqual([[71, 1]]);
    // Remembered for later subscriptions: delayed asked, live delivered.
    const later = t.client.next(EventName.marketDataType, (reqId: number) => reqId === 72);
    t.client.ib.reqMktData(72, futures('GC'), '', false, false);
    expect((await later)[1]).toBe(1);
    t.client.ib.cancelMktData(71);
    t.client.ib.cancelMktData(72);
  });

  it('reqFamilyCodes, reqMarketRule (matching contract details) and reqSecDefOptParams', async () => {
    await t.connect();
    const codes = t.client.next(EventName.familyCodes);
    t.client.ib.reqFamilyCodes();
    expect((await codes)[0]).toEqual([{ accountID: ACCOUNT, familyCode: `${ACCOUNT}A` }]);

    const details = t.client.next(EventName.contractDetails, (reqId: number) => reqId === 81);
    t.client.ib.reqContractDetails(81, futures('ZB'));
    const [, zb] = await details;
    const ruleId = Number(String(zb.marketRuleIds).split(',')[0]);
    const rule = t.client.next(EventName.marketRule, (id: number) => id === ruleId);
    t.client.ib.reqMarketRule(ruleId);
    expect((await rule)[1]).toEqual([{ lowEdge: 0, increment: zb.minTick }]);

    const end = t.client.next(EventName.securityDefinitionOptionParameterEnd, (reqId: number) => reqId === 82);
    let parameters = 0;
    t.client.on(EventName.securityDefinitionOptionParameter, () => parameters++);
    t.client.ib.reqSecDefOptParams(82, 'ES', 'CME', 'FUT', 637533641);
    await end;
    expect(parameters).toBe(0);
  });

  it('reqMarketRule for an id no instrument carries gets 321 (a system message: the request has no id)', async () => {
    await t.connect();
    t.client.ib.reqMarketRule(999_999);
    // @stoqey/ib reports id -1 messages as info.
    await t.client.expectInfo(321);
    expect(t.client.infos.find((i) => i.code === 321)?.message).toContain('Invalid market rule id 999999');
  });

  it('an unmodelled request gets 321 in TWS wording on its request id, plus its end marker', async () => {
    await t.connect();
    const end = t.client.next(EventName.historicalNewsEnd, (reqId: number) => reqId === 91);
    t.client.ib.reqHistoricalNews(91, 637533641, 'BRFG', '', '', 10);
    const [, hasMore] = await end;
    expect(hasMore).toBe(false);
    const news = await t.client.expectError(321, 91);
    expect(news.message).toBe("Error validating request.-'reqHistoricalNews' : cause - reqHistoricalNews is not supported by the simulator");
    t.client.ib.reqHeadTimestamp(92, futures('ES'), 'TRADES', true, 1);
    await t.client.expectError(321, 92);
    t.client.ib.reqScannerParameters();
    await t.client.expectInfo(321);
    expect(t.client.infos.find((i) => i.code === 321)?.message).toBe(
      "Error validating request.-'reqScannerParameters' : cause - reqScannerParameters is not supported by the simulator",
    );
  });
});
