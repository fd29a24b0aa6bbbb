import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { LIVE_EVENT_SCHEMAS, lostEventSchema, type LiveEventType } from '../../src/events/liveEventSchemas.ts';
import { compareStreamIds } from '../../src/events/streamIds.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { MARKET_DATA_ROLL_TOPIC } from '../../src/marketdata/sources/ib/rollEvent.ts';
import { BreakRegistry } from '../../src/orders/breakRegistry.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { openStream, type OpenStream } from '../events/sseClient.ts';
import type { SseMessage } from '../events/sseText.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';
import { waitUntil } from '../support/waitUntil.ts';

// A namespace of its own on the shared Redis: every key the runtime writes is under it.
const NAMESPACE = `e2e-live-events-${process.pid}`;
const TOKEN = 'live-events-operator-token';
const keys = namespaceKeys(NAMESPACE);
let main: MainProcess;
let redis: Redis;
const streams: OpenStream[] = [];

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  await deleteByPrefix(redis, `${NAMESPACE}:`);
  const config = loadConfig({
    env: SIM_CLOCK_ENV,
    overrides: { namespace: NAMESPACE, admin: { port: 0, token: TOKEN }, orders: { demo: { enabled: false } }, events: { retention: { maxLen: 100 } } },
  });
  main = await startMainProcess(config, createSilentLogger(), { capabilities: ['broker', 'orders'] });
  await main.whenActive();
});
afterAll(async () => {
  for (const stream of streams) stream.close();
  await main?.stop();
  await deleteByPrefix(redis, `${NAMESPACE}:`);
  redis.disconnect();
});

const open = async (headers: Record<string, string> = {}, query = '') => {
  const stream = await openStream(`${main.admin.url}/events${query}`, headers);
  streams.push(stream);
  expect(stream.status).toBe(200);
  return stream;
};
const post = (path: string, body?: unknown) =>
  fetch(`${main.admin.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const order = (clientOrderId: string) => ({ clientOrderId, account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'MKT', strategy: 'e2e' });
/** The messages of one type, each checked against its documented schema. */
const payloads = <T extends LiveEventType>(messages: readonly SseMessage[], type: T) =>
  messages.filter((m) => m.event === type).map((m) => ({ id: m.id!, ...LIVE_EVENT_SCHEMAS[type].parse(JSON.parse(m.data)) }) as { id: string } & Record<string, unknown>);
const ordersOf = (stream: OpenStream, clientOrderId: string) => payloads(stream.parsed().messages, 'order').filter((event) => event.clientOrderId === clientOrderId);
const until = (check: () => boolean | Promise<boolean>, what: string) => waitUntil(check, what, 10_000);

describe('live events from a running runtime (simulator broker)', () => {
  it('an order submitted through POST /orders shows up as order events up to filled, and its execution as a fill event', async () => {
    const stream = await open();
    expect((await post('/orders', order('ev-1'))).status).toBe(202);
    await until(() => ordersOf(stream, 'ev-1').some((event) => event.state === 'filled') && payloads(stream.parsed().messages, 'fill').length === 1, 'filled, and its fill');
    const states = ordersOf(stream, 'ev-1').map((event) => event.state);
    expect(states[0]).toBe('validating');
    expect(states).toContain('submitting');
    expect(states.at(-1)).toBe('filled');
    expect(ordersOf(stream, 'ev-1').at(-1)).toMatchObject({ filledQuantity: 1, averagePrice: expect.any(Number) });
    const [fill] = payloads(stream.parsed().messages, 'fill');
    expect(fill).toMatchObject({ clientOrderId: 'ev-1', account: 'DU1234567', symbol: 'ES', contractMonth: '202703', side: 'BUY', quantity: 1, price: ordersOf(stream, 'ev-1').at(-1)!.averagePrice });
    // Ids grow: the stream's own order.
    const ids = stream.parsed().messages.map((m) => m.id!);
    expect(ids).toEqual([...ids].sort(compareStreamIds));
  });

  it('a client that reconnects with Last-Event-ID carries on with no gap and no duplicate', async () => {
    const first = await open();
    expect((await post('/orders', order('ev-2'))).status).toBe(202);
    await until(() => ordersOf(first, 'ev-2').some((event) => event.state === 'submitting'), 'ev-2 submitting');
    first.close();
    const lastEventId = first.parsed().lastEventId!;
    const seenBefore = first.parsed().messages.map((m) => m.id);
    expect((await post('/orders', order('ev-3'))).status).toBe(202);
    const again = await open({ 'last-event-id': lastEventId });
    await until(() => ordersOf(again, 'ev-3').some((event) => event.state === 'filled'), 'ev-3 filled');
    expect(again.parsed().messages.some((m) => m.event === 'lost')).toBe(false);
    // The two connections together: exactly what the stream holds from the first event on, in order, once each.
    const together = [...first.parsed().messages, ...again.parsed().messages];
    const ids = together.map((m) => m.id!);
    const stored = ((await redis.xrange(keys.eventStream, ids[0]!, '+')) as [string, string[]][]).map(([id]) => id);
    expect(ids).toEqual(stored.slice(0, ids.length));
    expect(seenBefore).toEqual(ids.slice(0, seenBefore.length));
    const states = (clientOrderId: string) => payloads(together, 'order').filter((event) => event.clientOrderId === clientOrderId).map((event) => event.state);
    expect(states('ev-2').at(-1)).toBe('filled');
    expect(states('ev-3').at(-1)).toBe('filled');
  });

  it('halt and resume through the admin API are halt events naming who and why', async () => {
    const stream = await open({}, '?types=halt');
    expect((await post('/halt', { reason: 'e2e drill', operator: 'ann' })).status).toBe(200);
    expect((await post('/resume', { reason: 'drill over', operator: 'bob' })).status).toBe(200);
    await until(() => stream.parsed().messages.length === 2, 'two halt events');
    expect(payloads(stream.parsed().messages, 'halt').map(({ id: _id, at: _at, ...event }) => event)).toEqual([
      { halted: true, cause: 'operator', reason: 'e2e drill', who: 'ann' },
      { halted: false, cause: 'operator', reason: 'drill over', who: 'bob' },
    ]);
  });

  it('a reconciliation break opening and being cleared are break events', async () => {
    const stream = await open({}, '?types=break');
    await new BreakRegistry(redis, keys.orderBreaks).record({ symbol: 'GC', kind: 'overfill', detail: 'e2e', at: new Date().toISOString() });
    await until(() => stream.parsed().messages.length === 1, 'the break opened');
    expect((await post('/breaks/GC/clear', { reason: 'checked' })).status).toBe(200);
    await until(() => stream.parsed().messages.length === 2, 'the break cleared');
    expect(payloads(stream.parsed().messages, 'break').map((event) => [event.symbol, event.reason, event.state])).toEqual([
      ['GC', 'overfill', 'open'],
      ['GC', 'overfill', 'cleared'],
    ]);
  });

  it('the IB connection coming up is a connection event', async () => {
    const stream = await open({ 'last-event-id': '0-0' }, '?types=connection');
    await until(() => stream.parsed().messages.length >= 1, 'a connection event');
    expect(payloads(stream.parsed().messages, 'connection').at(-1)).toMatchObject({ connection: 'ib', health: 'healthy' });
  });

  it('a Last-Event-ID older than the retained window (events.retention.maxLen) gets lost first, then the oldest retained event on', async () => {
    const [oldest] = (await redis.xrange(keys.eventStream, '-', '+', 'COUNT', 1)) as [string, string[]][];
    const resumeFrom = oldest![0];
    // More events than the window: the roll topic of the running node's bus, as market data publishes it.
    const bus = main.runtime.tree.services.bus;
    for (let i = 0; i < 400; i += 1) bus.publish(MARKET_DATA_ROLL_TOPIC, { symbol: 'ES', from: '202612', to: '202703', at: new Date().toISOString(), sourceId: `e2e-${i}` });
    await until(async () => ((await redis.xrange(keys.eventStream, '-', '+', 'COUNT', 1)) as [string, string[]][])[0]![0] !== resumeFrom, 'the window moved on');
    const stream = await open({ 'last-event-id': resumeFrom });
    await until(() => payloads(stream.parsed().messages, 'roll').some((event) => event.sourceId === 'e2e-399'), 'the newest roll');
    const [first, second] = stream.parsed().messages;
    expect(first!.event).toBe('lost');
    const lost = lostEventSchema.parse(JSON.parse(first!.data));
    expect(lost).toMatchObject({ lastEventId: resumeFrom, reason: 'resume_point_not_retained' });
    expect(second!.id).toBe(lost.oldestRetainedId);
    expect(await redis.xlen(keys.eventStream)).toBeLessThan(400);
  });

  it('a standby node serves the same stream: it reads Redis, whoever appends', async () => {
    const config = loadConfig({
      env: SIM_CLOCK_ENV,
      overrides: { namespace: NAMESPACE, lease: { nodeId: `standby-${process.pid}` }, admin: { port: 0, token: TOKEN }, orders: { demo: { enabled: false } }, events: { retention: { maxLen: 100 } } },
    });
    const standby = await startMainProcess(config, createSilentLogger(), { capabilities: ['broker', 'orders'], waitForActive: false });
    try {
      expect(standby.role().role).toBe('standby');
      const fromActive = await open();
      const fromStandby = await openStream(`${standby.admin.url}/events`);
      streams.push(fromStandby);
      expect((await post('/orders', order('ev-4'))).status).toBe(202);
      const filled = (stream: OpenStream) => ordersOf(stream, 'ev-4').some((event) => event.state === 'filled');
      await until(() => filled(fromActive) && filled(fromStandby), 'ev-4 filled, seen on both nodes');
      const idsOf = (stream: OpenStream) => stream.parsed().messages.filter((m) => m.event === 'order' && JSON.parse(m.data).clientOrderId === 'ev-4').map((m) => m.id);
      expect(idsOf(fromStandby)).toEqual(idsOf(fromActive));
    } finally {
      await standby.stop();
    }
  });
});
