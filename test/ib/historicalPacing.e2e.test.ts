import { BarSizeSetting, EventName, SecType, WhatToShow, type Contract } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { IbSession } from '../../src/ib/session/ibSession.ts';
import { OrderIdAllocator } from '../../src/ib/session/orderIdAllocator.ts';
import { IBApi } from '@stoqey/ib';
import { startSim } from './ibConnectionHarness.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { waitUntil } from '../support/waitUntil.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const ES: Contract = { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD' };

describe('historical data pacing before sending (simulator)', () => {
  it('holds an identical request until its window has passed, then sends it; nothing is dropped', async () => {
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
      historicalPacing: { identicalWindowMs: 300 },
    });
    const api = new IBApi({ host: gateway.host, port: gateway.port, maxReqPerSec: 1_000 });
    cleanups.push(() => api.disconnect());
    const ready = new Promise((resolve) => api.once(EventName.nextValidId, resolve));
    api.connect(21);
    await ready;
    session.goOnline(api);

    const ended: { reqId: number; at: number }[] = [];
    // @stoqey/ib ends a historical request with a bar whose date starts with "finished".
    api.on(EventName.historicalData, (reqId: number, date: string) => {
      if (String(date).startsWith('finished')) ended.push({ reqId, at: performance.now() });
    });
    const request = { contract: 'ES', exchange: 'CME', whatToShow: 'TRADES', endDateTime: '', duration: '1 D', barSize: '1 hour' };
    const started = performance.now();
    for (const reqId of [1, 2]) {
      session.requestHistorical(request, (client) =>
        client.reqHistoricalData(reqId, ES, '', '1 D', BarSizeSetting.HOURS_ONE, WhatToShow.TRADES, 0, 1, false),
      );
    }
    expect(session.historicalWaiting).toBe(1);
    await waitUntil(() => ended.length === 2, 'both historical requests answered', 5_000);
    const second = ended.find((e) => e.reqId === 2)!;
    expect(second.at - started).toBeGreaterThanOrEqual(290);
    expect(session.historicalWaiting).toBe(0);
    session.goOffline('test over');
  });
});
