import net from 'node:net';
import { BarSizeSetting, EventName, SecType, WhatToShow, type Contract } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { IbSession } from '../../src/ib/session/ibSession.ts';
import { historicalDataListener, NoBrokerSessionError, type HistoricalBarsRequest } from '../../src/ib/session/historicalBars.ts';
import { OrderIdAllocator } from '../../src/ib/session/orderIdAllocator.ts';
import type { Gateway } from '../../src/machines/ib/ibConnectionTypes.ts';
import { IN } from '../../src/sim/protocol/messageIds.ts';
import { IBApi } from '@stoqey/ib';
import { connect, healthOf, startSim } from './ibConnectionHarness.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { HandMovedClock } from '../support/handMovedClock.ts';
import { waitUntil } from '../support/waitUntil.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** ES March 2027: the simulator lists several ES months, and a request without one is ambiguous (200). */
const ES: Contract = { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202703' };

/** The simulator at Monday 7 Dec 2026, 09:00 CT (Globex open, ES March listed), whatever day the test runs. */
const simOptions = () => ({ clock: new HandMovedClock('2026-12-07T15:00:00Z') });

async function onlineSession(historicalPacing: { identicalWindowMs: number }) {
  const { sim, gateway } = await startSim(0, simOptions());
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
    expect(bars).toHaveLength(22); // in session only: Sunday 17:00 CT to Monday 15:00 CT
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

/**
 * A TCP relay in front of the simulator that counts the reqHistoricalData frames (message id 20)
 * passed on to it. The simulator's message ledger records order messages only, so this is how a
 * test sees which historical requests reached it. A close on either side closes both.
 */
async function historicalCountingRelay(target: Gateway) {
  const sockets = new Set<net.Socket>();
  let historicalRequests = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('close', closeBoth);
      socket.on('error', closeBoth);
    }
    // After the "API\0" prefix the client sends int32-length frames whose first field is the message id as text.
    let pending = Buffer.alloc(0);
    let prefixSkipped = false;
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (!prefixSkipped && pending.length >= 4) {
        pending = pending.subarray(4);
        prefixSkipped = true;
      }
      while (prefixSkipped && pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const length = pending.readInt32BE(0);
        if (pending.toString('latin1', 4, 4 + length).split('\0', 1)[0] === String(IN.REQ_HISTORICAL_DATA)) historicalRequests++;
        pending = pending.subarray(4 + length);
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    gateway: { host: '127.0.0.1', port } satisfies Gateway,
    get historicalRequests() {
      return historicalRequests;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('historical bars when the connection goes (connection machine, simulator over TCP)', () => {
  it('fails every waiting request at once, held by pacing or sent, and sends none of them after reconnecting', async () => {
    const { sim, gateway } = await startSim(0, simOptions());
    cleanups.push(() => sim.close());
    const relay = await historicalCountingRelay(gateway);
    cleanups.push(() => relay.close());
    const conn = connect([relay.gateway]);
    cleanups.push(() => conn.close());
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 'ib connected', 5_000);
    const { session } = conn;

    // Five different requests for ES TRADES fill IB's same-contract window (five per 2 s): the sixth is held.
    const firstAt = performance.now();
    const days = ['20270301', '20270302', '20270303', '20270304', '20270305'];
    const answered = await Promise.all(days.map((day) => session.historicalBars({ ...request, endDateTime: `${day}-21:00:00` })));
    expect(answered.every((bars) => bars.length > 0)).toBe(true);
    const held = session.historicalBars({ ...request, endDateTime: '20270306-21:00:00' });
    expect(session.historicalWaiting).toBe(1);

    // Another (MIDPOINT: not held) is written while the simulator reads nothing, so it waits for an answer.
    sim.injectFault({ kind: 'halfOpen' });
    const sent = session.historicalBars({ ...request, whatToShow: WhatToShow.MIDPOINT });
    await waitUntil(() => session.correlator.size === 1 && relay.historicalRequests === 6, 'the MIDPOINT request written', 1_000);

    sim.injectFault({ kind: 'halfOpen', on: false });
    const droppedAt = performance.now();
    sim.injectFault({ kind: 'dropAll' });
    const failedAt = (outcome: Promise<unknown>) =>
      outcome.then(
        () => ({ error: null as unknown, after: performance.now() - droppedAt }),
        (error: unknown) => ({ error, after: performance.now() - droppedAt }),
      );
    const [heldOutcome, sentOutcome] = await Promise.all([failedAt(held), failedAt(sent)]);
    for (const outcome of [heldOutcome, sentOutcome]) {
      expect(outcome.error).toBeInstanceOf(NoBrokerSessionError);
      expect(outcome.after).toBeLessThan(1_000);
    }
    expect(session.historicalWaiting).toBe(0);
    expect(session.correlator.size).toBe(0);

    // Back online well before the held request's pacing slot (first + 2 s) opens; it must not go then.
    await waitUntil(() => healthOf(conn.actor) === 'healthy' && conn.actor.getSnapshot().context.counters.connects === 2, 'reconnected', 5_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstAt + 2_500 - performance.now())));
    expect(relay.historicalRequests).toBe(6);
    expect(session.historicalWaiting).toBe(0);

    // The relay does see what the new connection sends: a fresh request goes through and is answered.
    const fresh = await session.historicalBars({ ...request, endDateTime: '20270310-21:00:00' });
    expect(fresh.length).toBeGreaterThan(0);
    expect(relay.historicalRequests).toBe(7);
  });
});
