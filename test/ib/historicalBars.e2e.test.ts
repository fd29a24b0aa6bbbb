import { BarSizeSetting, EventName, SecType, WhatToShow, type Contract } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { IbSession } from '../../src/ib/session/ibSession.ts';
import { historicalDataListener, type HistoricalBarsRequest } from '../../src/ib/session/historicalBars.ts';
import { OrderIdAllocator } from '../../src/ib/session/orderIdAllocator.ts';
import { IBApi } from '@stoqey/ib';
import { startSim } from './ibConnectionHarness.ts';
import { REDIS_URL } from '../support/redisUrl.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const ES: Contract = { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD' };

async function onlineSession(historicalPacing: { identicalWindowMs: number }) {
  const { sim, gateway } = await startSim();
  cleanups.push(() => sim.close());
  const redis = new Redis(REDIS_URL);
  cleanups.push(() => redis.disconnect());
  const session = new IbSession({
    ratePerSecond: 45,
    burst: 5,
    paced: true,
    requestTimeoutMs: 5_000,
    orderIds: new OrderIdAllocator(redis, `test:hist:${Math.random()}`),
    historicalPacing,
  });
  const api = new IBApi({ host: gateway.host, port: gateway.port, maxReqPerSec: 1_000 });
  cleanups.push(() => api.disconnect());
  const ready = new Promise((resolve) => api.once(EventName.nextValidId, resolve));
  api.connect(21);
  await ready;
  // As the IB client actor routes them: bars to the session's correlator.
  api.on(EventName.historicalData, historicalDataListener(session.correlator));
  session.goOnline(api);
  cleanups.push(() => session.goOffline('test over'));
  return session;
}

const request: HistoricalBarsRequest = { contract: ES, endDateTime: '', duration: '1 D', barSize: BarSizeSetting.HOURS_ONE, whatToShow: WhatToShow.TRADES, useRth: false };

describe('historical bars through the session (simulator over TCP)', () => {
  it('answers with the bars of the request, oldest first', async () => {
    const session = await onlineSession({ identicalWindowMs: 300 });
    const bars = await session.historicalBars({ ...request, endDateTime: '20270301-21:00:00' });
    expect(bars).toHaveLength(24);
    for (const bar of bars) {
      expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
      expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
    }
    expect(bars.map((b) => b.time)).toEqual([...bars.map((b) => b.time)].sort());
  });

  it('holds an identical request until its pacing window has passed, then sends it; nothing is dropped', async () => {
    const session = await onlineSession({ identicalWindowMs: 300 });
    const started = performance.now();
    const first = session.historicalBars(request).then((bars) => ({ bars, at: performance.now() }));
    const second = session.historicalBars(request).then((bars) => ({ bars, at: performance.now() }));
    expect(session.historicalWaiting).toBe(1);
    const [a, b] = await Promise.all([first, second]);
    expect(a.bars.length).toBeGreaterThan(0);
    expect(b.bars.length).toBe(a.bars.length);
    expect(b.at - started).toBeGreaterThanOrEqual(290);
    expect(session.historicalWaiting).toBe(0);
  });
});
