import { BarSizeSetting, WhatToShow, ConnectionState, IBApiNext, type IBApiNextError, OrderAction, OrderType, SecType } from '@stoqey/ib';
import { filter, firstValueFrom, lastValueFrom, take, timeout } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TwsSimulator } from '../../src/sim/index.ts';
import { WAIT_MS, futures } from './harness.ts';
import { startSimulator } from '../support/simulator.ts';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The same round trips through IBApiNext (RxJS API), at the oldest and newest server version. */
describe.each([100, 193])('IBApiNext conformance at server version %i', (version) => {
  let sim: TwsSimulator;
  let port: number;
  let api: IBApiNext;
  let errors: IBApiNextError[];
  let clientId = 50;

  beforeAll(async () => {
    ({ sim, port } = await startSimulator({ serverVersionRange: { min: 100, max: version } }));
  });
  afterAll(async () => sim.close());

  async function connect(): Promise<void> {
    api = new IBApiNext({ host: '127.0.0.1', port, logger: silent, maxReqPerSec: 10_000 });
    errors = [];
    api.error.subscribe((e) => errors.push(e));
    api.connect(clientId++);
    await firstValueFrom(api.connectionState.pipe(filter((s) => s === ConnectionState.Connected), timeout(WAIT_MS)));
  }

  afterEach(() => {
    api.disconnect();
    expect(errors.map((e) => `${e.code}: ${e.error.message}`)).toEqual([]);
  });

  it('current time, managed accounts, next valid order id', async () => {
    await connect();
    expect(Math.abs((await api.getCurrentTime()) - sim.now() / 1000)).toBeLessThan(5);
    expect(await api.getManagedAccounts()).toEqual(['DU1234567']);
    expect(await api.getNextValidOrderId()).toBeGreaterThan(0);
  });

  it('contract details, market data and historical bars', async () => {
    await connect();
    const details = await api.getContractDetails({ symbol: 'ZN', secType: SecType.FUT, lastTradeDateOrContractMonth: '202703' });
    expect(details).toHaveLength(1);
    expect(details[0]?.contract).toMatchObject({ symbol: 'ZN', multiplier: 1000, exchange: 'CBOT' });

    const ticks = await firstValueFrom(api.getMarketData(futures('ZN'), '', false, false).pipe(take(1), timeout(WAIT_MS)));
    expect(ticks.all.size).toBeGreaterThan(0);

    const bars = await api.getHistoricalData(futures('ZN'), '', '3600 S', BarSizeSetting.MINUTES_FIVE, WhatToShow.MIDPOINT, 0, 2);
    expect(bars).toHaveLength(12);
    expect(Number(bars[0]?.time)).toBeGreaterThan(1_600_000_000);
  });

  it('orders: place, see it open, fill, executions, positions, cancel', async () => {
    await connect();
    const id = await api.placeNewOrder(futures('ES'), { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 2, orderRef: `next-${version}`, transmit: true });
    const execs = await api.getExecutionDetails({ symbol: 'ES' } as never);
    expect(execs.some((e) => e.execution.orderId === id && e.execution.orderRef === `next-${version}`)).toBe(true);

    const positions = await firstValueFrom(api.getPositions().pipe(filter((p) => p.all.size > 0), take(1), timeout(WAIT_MS)));
    const es = positions.all.get('DU1234567')?.find((p) => p.contract.symbol === 'ES');
    expect(es?.pos).toBe(sim.positions('DU1234567').find((p) => p.symbol === 'ES')?.qty);

    const restingId = await api.placeNewOrder(futures('ES'), { action: OrderAction.SELL, orderType: OrderType.LMT, lmtPrice: sim.price('ES') + 50, totalQuantity: 1, tif: 'GTC', transmit: true });
    const open = await api.getAllOpenOrders();
    expect(open.some((o) => o.orderId === restingId && o.orderState.status === 'Submitted')).toBe(true);
    api.cancelOrder(restingId);
    const cancelError = await firstValueFrom(api.error.pipe(filter((e) => e.reqId === restingId), timeout(WAIT_MS)));
    expect(cancelError.code).toBe(202);
    errors.splice(errors.indexOf(cancelError), 1);
  });

  it('snapshot market data, commission reports, open-order streams, cancelAllOrders, account updates', async () => {
    await connect();
    const snapshot = await api.getMarketDataSnapshot(futures('GC'), '', false);
    expect(snapshot.get(4)?.value).toBe(sim.price('GC'));

    const limit = sim.price('CL') - 1;
    const ids = [await api.getNextValidOrderId()];
    ids.push(ids[0]! + 1);
    for (const id of ids) api.placeOrder(id, futures('CL'), { action: OrderAction.BUY, orderType: OrderType.LMT, lmtPrice: limit, totalQuantity: 1, transmit: true });
    // The server handles one connection's requests in order, so this query sees both orders.
    const working = await lastValueFrom(api.getOpenOrders().pipe(timeout(WAIT_MS)));
    expect(working.all.filter((o) => ids.includes(o.orderId)).map((o) => o.order.lmtPrice)).toEqual([limit, limit]);
    const autoOpen = await firstValueFrom(
      api.getAutoOpenOrders(false).pipe(filter((u) => ids.every((id) => u.all.some((o) => o.orderId === id))), take(1), timeout(WAIT_MS)),
    );
    expect(autoOpen.all.filter((o) => ids.includes(o.orderId)).map((o) => o.orderState.status)).toEqual(['Submitted', 'Submitted']);

    const cancels = firstValueFrom(api.error.pipe(filter((e) => e.code === 202 && e.reqId === ids[1]), timeout(WAIT_MS)));
    api.cancelAllOrders();
    await cancels;
    const cancelErrors = errors.filter((e) => e.code === 202 && ids.includes(e.reqId));
    expect(cancelErrors).toHaveLength(2);
    for (const e of cancelErrors) errors.splice(errors.indexOf(e), 1);
    expect(sim.openOrders().filter((o) => ids.includes(o.orderId))).toEqual([]);

    const id = await api.placeNewOrder(futures('CL'), { action: OrderAction.SELL, orderType: OrderType.MKT, totalQuantity: 1, orderRef: 'cr', transmit: true });
    expect(id).toBeGreaterThan(ids[1]!);
    // Requested after the order on the same connection, so its execution is included.
    const reports = await api.getCommissionReport({ symbol: 'CL' } as never);
    const execId = sim.ledger.byOrderRef('cr')[0]?.execId;
    expect(execId).toBeDefined();
    expect(reports.find((r) => r.execId === execId)?.commission).toBe(2.25);

    const updates = await firstValueFrom(api.getAccountUpdates('DU1234567').pipe(filter((u) => (u.all.portfolio?.size ?? 0) > 0), take(1), timeout(WAIT_MS)));
    expect(updates.all.value?.get('DU1234567')?.get('NetLiquidation')?.get('USD')).toBeDefined();
  });

  it('account summary', async () => {
    await connect();
    const summary = await firstValueFrom(api.getAccountSummary('All', 'NetLiquidation,TotalCashValue').pipe(take(1), timeout(WAIT_MS)));
    const values = summary.all.get('DU1234567');
    expect(values?.get('NetLiquidation')?.get('USD')?.value).toMatch(/^\d+(\.\d+)?$/);
  });
});
