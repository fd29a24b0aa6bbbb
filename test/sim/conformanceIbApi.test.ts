import { BarSizeSetting, WhatToShow } from '@stoqey/ib';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { EventName, TestClient, futures, order, simulatorClients } from './harness.ts';

/**
 * Every supported request through the real IBApi client at the oldest and newest server version.
 * TestClient fails a test on any error event the test did not claim (decoder underruns and
 * "unprocessed data" surface as error events too).
 */
describe.each([100, 193])('IBApi conformance at server version %i', (version) => {
  const t = simulatorClients(() => ({ serverVersionRange: { min: 100, max: version }, slippageTicks: 1 }));

  it('handshake: negotiated version, managed accounts, farm status messages', async () => {
    t.newClient();
    const accounts = t.client.next(EventName.managedAccounts);
    const server = t.client.next(EventName.server);
    await t.client.connect(t.takeClientId());
    expect(t.client.ib.serverVersion).toBe(version);
    expect((await server)[1]).toMatch(/^\d{8} \d{2}:\d{2}:\d{2} UTC$/);
    expect((await accounts)[0]).toBe('DU1234567');
    await t.client.expectInfo(2158);
    expect(t.client.infos.map((i) => i.code)).toEqual([2104, 2106, 2158]);
  });

  it('reqCurrentTime and reqIds', async () => {
    const firstId = await t.connect();
    const time = t.client.next(EventName.currentTime);
    t.client.ib.reqCurrentTime();
    expect(Math.abs((await time)[0] - t.sim.now() / 1000)).toBeLessThan(5);
    const ids = t.client.next(EventName.nextValidId);
    t.client.ib.reqIds(1);
    expect((await ids)[0]).toBe(firstId);
  });

  it('market order: openOrder, orderStatus, execDetails, commissionReport in TWS order', async () => {
    const id = await t.connect();
    const seen: string[] = [];
    for (const e of [EventName.openOrder, EventName.orderStatus, EventName.execDetails, EventName.commissionReport]) {
      t.client.on(e, () => seen.push(e));
    }
    const exec = t.client.next(EventName.execDetails);
    const commission = t.client.next(EventName.commissionReport);
    const filled = t.client.next(EventName.orderStatus, (oid: number, status: string) => oid === id && status === 'Filled');
    const price = t.sim.price('NQ');
    t.client.ib.placeOrder(id, futures('NQ'), order('SELL', 3, 'MKT', { orderRef: `mkt-${version}` }));
    const [, contract, execution] = await exec;
    expect(contract).toMatchObject({ symbol: 'NQ', secType: 'FUT', localSymbol: 'NQH7' });
    expect(execution).toMatchObject({ orderId: id, side: 'SLD', shares: 3, price: price - 0.25, orderRef: `mkt-${version}`, acctNumber: 'DU1234567' });
    expect((await commission)[0]).toMatchObject({ execId: execution.execId, commission: 3 * 2.25, currency: 'USD' });
    expect((await filled).slice(2, 5)).toEqual([3, 0, price - 0.25]);
    expect(seen).toEqual(['openOrder', 'orderStatus', 'execDetails', 'orderStatus', 'openOrder', 'commissionReport']);
  });

  it('limit order rests, appears in open-order queries, and cancels with 202', async () => {
    const id = await t.connect();
    const limit = t.sim.price('GC') - 5;
    const submitted = t.client.next(EventName.orderStatus, (oid: number, status: string) => oid === id && status === 'Submitted');
    t.client.ib.placeOrder(id, futures('GC'), order('BUY', 1, 'LMT', { lmtPrice: limit, tif: 'GTC', orderRef: 'rest' }));
    await submitted;

    for (const request of [() => t.client.ib.reqOpenOrders(), () => t.client.ib.reqAllOpenOrders(), () => t.client.ib.reqAutoOpenOrders(true)]) {
      const open = t.client.collect(EventName.openOrder, EventName.openOrderEnd);
      request();
      const orders = await open;
      const mine = orders.find(([oid]) => oid === id);
      expect(mine?.[2]).toMatchObject({ orderType: 'LMT', lmtPrice: limit, tif: 'GTC', orderRef: 'rest', totalQuantity: 1 });
      expect(mine?.[3]).toMatchObject({ status: 'Submitted' });
    }

    const cancelled = t.client.next(EventName.orderStatus, (oid: number, status: string) => oid === id && status === 'Cancelled');
    t.client.ib.cancelOrder(id);
    await cancelled;
    await t.client.expectError(202, id);
  });

  it('stop and stop-limit orders trigger when the price crosses', async () => {
    const id = await t.connect();
    const base = t.sim.price('CL');
    const stopSubmitted = t.client.next(EventName.orderStatus, (oid: number) => oid === id + 1);
    t.client.ib.placeOrder(id, futures('CL'), order('BUY', 1, 'STP', { auxPrice: base + 0.1 }));
    t.client.ib.placeOrder(id + 1, futures('CL'), order('SELL', 1, 'STP LMT', { auxPrice: base - 0.1, lmtPrice: base - 0.12 }));
    await stopSubmitted;
    const stopFilled = t.client.next(EventName.orderStatus, (oid: number, s: string) => oid === id && s === 'Filled');
    t.sim.setPrice('CL', base + 0.1);
    expect((await stopFilled)[4]).toBeCloseTo(base + 0.11, 6);
    const stopLimitFilled = t.client.next(EventName.orderStatus, (oid: number, s: string) => oid === id + 1 && s === 'Filled');
    t.sim.setPrice('CL', base - 0.11);
    expect((await stopLimitFilled)[4]).toBeCloseTo(base - 0.11, 6);
  });

  it('whatIf returns margin figures without trading', async () => {
    const id = await t.connect();
    const answer = t.client.next(EventName.openOrder, (oid: number) => oid === id);
    const executions = t.sim.ledger.size;
    t.client.ib.placeOrder(id, futures('ZB'), order('BUY', 2, 'MKT', { whatIf: true }));
    const [, , o, state] = await answer;
    expect(o.whatIf).toBe(true);
    expect(state).toMatchObject({ initMarginAfter: expect.any(Number), maintMarginAfter: expect.any(Number) });
    expect(state.initMarginAfter - (state.initMarginBefore ?? 0)).toBe(version >= 142 ? 8800 : state.initMarginAfter - (state.initMarginBefore ?? 0));
    expect(state.commission).toBe(4.5);
    expect(t.sim.ledger.size).toBe(executions);
  });

  it('reqGlobalCancel cancels every working order', async () => {
    const id = await t.connect();
    const low = t.sim.price('ZC') - 10;
    const second = t.client.next(EventName.orderStatus, (oid: number, s: string) => oid === id + 1 && s === 'Submitted');
    t.client.ib.placeOrder(id, futures('ZC'), order('BUY', 1, 'LMT', { lmtPrice: low }));
    t.client.ib.placeOrder(id + 1, futures('ZC'), order('BUY', 1, 'LMT', { lmtPrice: low }));
    await second;
    const both = Promise.all([id, id + 1].map((oid) => t.client.next(EventName.orderStatus, (o: number, s: string) => o === oid && s === 'Cancelled')));
    t.client.ib.reqGlobalCancel();
    await both;
    await t.client.expectError(202, id);
    await t.client.expectError(202, id + 1);
  });

  it('reqExecutions with a filter returns matching executions and their commission reports', async () => {
    const id = await t.connect();
    const filled = t.client.next(EventName.orderStatus, (oid: number, s: string) => oid === id && s === 'Filled');
    t.client.ib.placeOrder(id, futures('6E'), order('BUY', 2, 'MKT', { orderRef: 'exec-filter' }));
    await filled;
    const reports = t.client.collect(EventName.commissionReport, EventName.execDetailsEnd);
    const details = t.client.collect(EventName.execDetails, EventName.execDetailsEnd);
    t.client.ib.reqExecutions(900, { symbol: '6E', side: 'BUY', clientId: t.lastClientId } as never);
    const got = await details;
    expect(got).toHaveLength(1);
    expect(got[0]?.[0]).toBe(900);
    expect(got[0]?.[2]).toMatchObject({ orderRef: 'exec-filter', side: 'BOT', shares: 2 });
    expect((await reports).map((r) => r[0].execId)).toEqual([got[0]?.[2].execId]);
  });

  it("reqExecutions reads the filter's time in the zone it names", async () => {
    const id = await t.connect();
    const filled = t.client.next(EventName.orderStatus, (oid: number, s: string) => oid === id && s === 'Filled');
    t.client.ib.placeOrder(id, futures('6E'), order('BUY', 1, 'MKT', { orderRef: 'exec-zone' }));
    await filled;
    const eastern = (ms: number) => `${DateTime.fromMillis(ms, { zone: 'America/New_York' }).toFormat('yyyyMMdd HH:mm:ss')} US/Eastern`;
    const since = async (reqId: number, time: string) => {
      const details = t.client.collect(EventName.execDetails, EventName.execDetailsEnd);
      t.client.ib.reqExecutions(reqId, { clientId: t.lastClientId, time } as never);
      return (await details).map((d) => d[2].orderRef);
    };
    // Eastern wall clock read as UTC would be hours earlier and let the later filter through.
    expect(await since(902, eastern(t.sim.now() - 60_000))).toContain('exec-zone');
    expect(await since(903, eastern(t.sim.now() + 60_000))).toEqual([]);
  });

  it('positions, account summary and account updates', async () => {
    const id = await t.connect();
    const filled = t.client.next(EventName.orderStatus, (oid: number, s: string) => oid === id && s === 'Filled');
    t.client.ib.placeOrder(id, futures('ZW'), order('BUY', 4, 'MKT'));
    await filled;

    const positions = t.client.collect(EventName.position, EventName.positionEnd);
    t.client.ib.reqPositions();
    const zw = (await positions).find(([, contract]) => contract.symbol === 'ZW');
    expect(zw?.[2]).toBe(t.sim.positions().find((p) => p.symbol === 'ZW')?.qty);
    t.client.ib.cancelPositions();

    const summary = t.client.collect(EventName.accountSummary, EventName.accountSummaryEnd);
    t.client.ib.reqAccountSummary(901, 'All', 'NetLiquidation,InitMarginReq,MaintMarginReq,AvailableFunds');
    const tags = (await summary).map((s) => s[2]);
    expect(tags).toEqual(['NetLiquidation', 'InitMarginReq', 'MaintMarginReq', 'AvailableFunds']);
    t.client.ib.cancelAccountSummary(901);

    const values = t.client.collect(EventName.updateAccountValue, EventName.accountDownloadEnd);
    const portfolio = t.client.collect(EventName.updatePortfolio, EventName.accountDownloadEnd);
    t.client.ib.reqAccountUpdates(true, 'DU1234567');
    expect((await values).map((v) => v[0])).toContain('NetLiquidation');
    expect((await portfolio).map((p) => p[0].symbol)).toContain('ZW');
    t.client.ib.reqAccountUpdates(false, 'DU1234567');
  });

  it('reqContractDetails for futures, and 200 for an unknown contract', async () => {
    await t.connect();
    const details = t.client.collect(EventName.contractDetails, EventName.contractDetailsEnd);
    t.client.ib.reqContractDetails(902, futures('ES', { exchange: 'CME' }));
    const [[reqId, d]] = (await details) as [[number, any]];
    expect(reqId).toBe(902);
    expect(d.contract).toMatchObject({ symbol: 'ES', multiplier: 50, exchange: 'CME', currency: 'USD' });
    expect(d.minTick).toBe(0.25);
    t.client.ib.reqContractDetails(903, futures('XX'));
    await t.client.expectError(200, 903);
  });

  it('reqMktData streams tick price and size until cancelled', async () => {
    await t.connect();
    const last = t.client.next(EventName.tickPrice, (id: number, type: number) => id === 904 && type === 4);
    const size = t.client.next(EventName.tickSize, (id: number, type: number) => id === 904 && type === 8);
    t.client.ib.reqMktData(904, futures('ES'), '', false, false);
    expect((await last)[2]).toBe(t.sim.price('ES'));
    await size;
    const moved = t.client.next(EventName.tickPrice, (id: number, type: number, price: number) => id === 904 && type === 4 && price === 6000);
    t.sim.setPrice('ES', 6000);
    await moved;
    t.client.ib.cancelMktData(904);
    t.client.ib.cancelMktData(904);
    await t.client.expectError(300, 904);
    const snapshotEnd = t.client.next(EventName.tickSnapshotEnd, (id: number) => id === 905);
    t.client.ib.reqMktData(905, futures('GC'), '', true, false);
    await snapshotEnd;
  });

  it('reqHistoricalData returns bars, and 321 for an invalid bar size', async () => {
    await t.connect();
    const bars: any[][] = [];
    const done = new Promise<void>((resolve) => {
      t.client.ib.on(EventName.historicalData, (...args: any[]) => {
        if (args[0] !== 906) return;
        if (String(args[1]).startsWith('finished')) resolve();
        else bars.push(args);
      });
    });
    t.client.ib.reqHistoricalData(906, futures('ES'), '', '1 D', BarSizeSetting.HOURS_ONE, WhatToShow.TRADES, 0, 1, false);
    await done;
    // Only in session: from Globex's Sunday 17:00 CT open to the bar in progress on Monday 09:00 CT.
    expect(bars.length).toBeGreaterThanOrEqual(16);
    expect(bars.length).toBeLessThanOrEqual(17);
    for (const [, , open, high, low, close] of bars) {
      expect(high).toBeGreaterThanOrEqual(Math.max(open, close));
      expect(low).toBeLessThanOrEqual(Math.min(open, close));
    }
    expect(bars.at(-1)?.[5]).toBe(t.sim.price('ES'));
    t.client.ib.reqHistoricalData(907, futures('ES'), '', '1 D', '7 parsecs' as BarSizeSetting, WhatToShow.TRADES, 0, 1, false);
    expect((await t.client.expectError(321, 907)).message).toMatch(/Historical data bar size setting is invalid\. Legal ones are: 1 secs, /);
  });

  it('keepUpToDate historical data streams the bar in progress until cancelled (v124+; older clients cannot ask)', async () => {
    await t.connect();
    const barrier = async () => {
      const time = t.client.next(EventName.currentTime);
      t.client.ib.reqCurrentTime();
      await time;
    };
    let updates = 0;
    t.client.on(EventName.historicalDataUpdate, () => updates++);
    const finished = t.client.next(EventName.historicalData, (id: number, date: string) => id === 908 && String(date).startsWith('finished'));
    t.client.ib.reqHistoricalData(908, futures('ZB'), '', '1800 S', BarSizeSetting.MINUTES_ONE, WhatToShow.TRADES, 0, 2, true);
    await finished;
    if (version < 124) {
      // The encoder drops keepUpToDate below SYNT_REALTIME_BARS, so the request is a plain one.
      t.sim.setPrice('ZB', 118.5);
      await barrier();
      expect(updates).toBe(0);
      return;
    }
    const update = t.client.next(EventName.historicalDataUpdate, (id: number) => id === 908);
    t.sim.setPrice('ZB', 118.5);
    const [, time, open, high, low, close, volume] = await update;
    expect(Number(time) % 60).toBe(0);
    expect([open, high, low, close]).toEqual([118.5, 118.5, 118.5, 118.5]);
    expect(volume).toBeGreaterThan(0);
    t.client.ib.cancelHistoricalData(908);
    await barrier();
    const before = updates;
    t.sim.setPrice('ZB', 118.75);
    await barrier();
    expect(updates).toBe(before);
  });

  it('order errors: unknown contract 200, duplicate id 103, cancel unknown 10147, cancel filled 10148', async () => {
    const id = await t.connect();
    t.client.ib.placeOrder(id, futures('NOPE'), order('BUY', 1, 'MKT'));
    await t.client.expectError(200, id);
    t.client.ib.placeOrder(id, futures('ES'), order('BUY', 1, 'MKT'));
    await t.client.expectError(103, id);
    t.client.ib.cancelOrder(id + 500);
    await t.client.expectError(10147, id + 500);
    const filled = t.client.next(EventName.orderStatus, (oid: number, s: string) => oid === id + 1 && s === 'Filled');
    t.client.ib.placeOrder(id + 1, futures('ES'), order('BUY', 1, 'MKT'));
    await filled;
    t.client.ib.cancelOrder(id + 1);
    await t.client.expectError(10148, id + 1);
  });

  it('a second connection with a client id in use gets 326 and is closed', async () => {
    await t.connect();
    const intruder = new TestClient(t.port);
    const rejected = intruder.next(EventName.info, (_m: string, code: number) => code === 326);
    const closed = intruder.next(EventName.disconnected);
    intruder.ib.connect(t.lastClientId);
    await rejected;
    await closed;
    expect(intruder.unexpectedErrors()).toEqual([]);
    const time = t.client.next(EventName.currentTime);
    t.client.ib.reqCurrentTime();
    await time;
  });
});
