import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../src/admin/buildAdminApp.ts';
import { EventAppender } from '../../src/events/eventAppender.ts';
import { EventFeed } from '../../src/events/eventFeed.ts';
import { lostEventSchema, orderEventSchema } from '../../src/events/liveEventSchemas.ts';
import { RedisEventStream } from '../../src/events/redisEventStream.ts';
import { Fence } from '../../src/lease/fence.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import type { LiveEventsView } from '../../src/admin/runtimeView.ts';
import { FakeRuntimeView } from '../admin/fakeRuntimeView.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { openStream, type OpenStream } from './sseClient.ts';

/** The admin tests' stand-in runtime, with a live event feed over a real Redis stream. */
class LiveView extends FakeRuntimeView {
  liveEvents?: LiveEventsView;
}

const prefix = `test-events-route-${process.pid}`;
const connectionName = `tw-test-events-route-${process.pid}`;
const logger = createSilentLogger();
let redis: Redis;
let run = 0;
let key: string;
let feed: EventFeed;
let appender: EventAppender;
let app: FastifyInstance;
let url: string;
const streams: OpenStream[] = [];

beforeAll(() => {
  redis = new Redis(REDIS_URL, { connectionName });
});
afterAll(async () => {
  await deleteByPrefix(redis, prefix);
  redis.disconnect();
});

beforeEach(async () => {
  run += 1;
  key = `${prefix}:${run}`;
  feed = new EventFeed(new RedisEventStream(redis, key), { logger, blockMs: 500 });
  appender = new EventAppender(redis, { key, fillsPositionKey: `${key}:fills`, maxLen: 10_000, fence: Fence.none(), logger });
  const view = new LiveView();
  view.liveEvents = { feed, keepaliveMs: 60_000 };
  app = buildAdminApp({ view, logger });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  url = `http://127.0.0.1:${address.port}`;
});
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await app.close();
  await feed.close();
  await appender.stop();
});

const open = async (path = '/events', headers: Record<string, string> = {}) => {
  const stream = await openStream(`${url}${path}`, headers);
  streams.push(stream);
  return stream;
};
/** Appends orders and waits until they are in Redis; resolves with their ids. */
const appendOrders = async (count: number, from = 0): Promise<string[]> => {
  for (let i = 0; i < count; i += 1) appender.record('order', { clientOrderId: `o${from + i}`, state: 'working', filledQuantity: 0, averagePrice: null, at: new Date().toISOString() });
  await appender.relay([], '0-0');
  const entries = (await redis.xrange(key, '-', '+')) as [string, string[]][];
  return entries.slice(-count).map(([id]) => id);
};
const ids = (stream: OpenStream, event = 'order') => stream.parsed().messages.filter((m) => m.event === event).map((m) => m.id);
const tailConnections = async () => ((await redis.client('LIST')) as string).split('\n').filter((line) => line.includes(`name=${connectionName}`)).length;

describe('GET /events', () => {
  it('streams each event as id / event / data from where the stream was when the client connected', async () => {
    const [before] = await appendOrders(1);
    const stream = await open();
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-cache, no-transform');
    expect(stream.headers['x-request-id']).toEqual(expect.any(String));
    const appended = await appendOrders(3, 1);
    await waitUntil(() => ids(stream).length === 3, 'three events');
    expect(ids(stream)).toEqual(appended);
    expect(ids(stream)).not.toContain(before);
    const [first] = stream.parsed().messages;
    expect(orderEventSchema.parse(JSON.parse(first!.data))).toMatchObject({ clientOrderId: 'o1', state: 'working' });
  });

  it('sends only the ?types= asked for (comma-separated or repeated)', async () => {
    const comma = await open('/events?types=halt,fill');
    const repeated = await open('/events?types=halt&types=fill');
    appender.record('order', { n: 1 });
    appender.record('halt', { halted: true, cause: 'operator', reason: 'r', who: 'w', at: new Date().toISOString() });
    appender.record('fill', { execId: 'e' });
    await appender.relay([], '0-0');
    for (const stream of [comma, repeated]) {
      await waitUntil(() => stream.parsed().messages.length === 2, 'two events');
      expect(stream.parsed().messages.map((m) => m.event)).toEqual(['halt', 'fill']);
    }
  });

  it('refuses an unknown type, a malformed Last-Event-ID and unknown parameters with 400 naming the field', async () => {
    const unknownType = await app.inject({ method: 'GET', url: '/events?types=order,trades' });
    expect(unknownType.statusCode).toBe(400);
    expect(unknownType.json()).toMatchObject({ error: { code: 'invalid_query', fields: [{ field: 'types', message: expect.stringContaining('"trades"') }] } });
    const none = await app.inject({ method: 'GET', url: '/events?types=' });
    expect(none.json()).toMatchObject({ error: { code: 'invalid_query', fields: [{ field: 'types' }] } });
    const badHeader = await app.inject({ method: 'GET', url: '/events', headers: { 'last-event-id': 'yesterday' } });
    expect(badHeader.statusCode).toBe(400);
    expect(badHeader.json()).toMatchObject({ error: { code: 'invalid_header', fields: [{ field: 'last-event-id' }] } });
    const badQuery = await app.inject({ method: 'GET', url: '/events?lastEventId=12' });
    expect(badQuery.json()).toMatchObject({ error: { code: 'invalid_query', fields: [{ field: 'lastEventId' }] } });
    const unknownParam = await app.inject({ method: 'GET', url: '/events?since=1' });
    expect(unknownParam.json()).toMatchObject({ error: { code: 'invalid_query', fields: [{ field: 'since', message: 'unknown field' }] } });
    expect(feed.clients).toBe(0);
  });

  it('resumes after Last-Event-ID (header, or ?lastEventId=; the header wins): every later event once, none before', async () => {
    const appended = await appendOrders(6);
    const byHeader = await open('/events', { 'last-event-id': appended[1]! });
    const byQuery = await open(`/events?lastEventId=${appended[3]}`);
    const both = await open(`/events?lastEventId=${appended[4]}`, { 'last-event-id': appended[2]! });
    const more = await appendOrders(2, 6);
    await waitUntil(() => ids(byHeader).length === 6 && ids(byQuery).length === 4 && ids(both).length === 5, 'resumed streams caught up');
    expect(ids(byHeader)).toEqual([...appended.slice(2), ...more]);
    expect(ids(byQuery)).toEqual([...appended.slice(4), ...more]);
    expect(ids(both)).toEqual([...appended.slice(3), ...more]);
    expect(byHeader.parsed().messages.some((m) => m.event === 'lost')).toBe(false);
  });

  it('a Last-Event-ID older than the retained window gets `lost` first, then continues from the oldest retained event', async () => {
    const appended = await appendOrders(10);
    await redis.xtrim(key, 'MAXLEN', 4);
    const stream = await open('/events', { 'last-event-id': appended[2]! });
    await waitUntil(() => ids(stream).length === 4, 'the retained events');
    const [lost, ...events] = stream.parsed().messages;
    expect(lost!.event).toBe('lost');
    expect(lost!.id).toBeUndefined();
    expect(lostEventSchema.parse(JSON.parse(lost!.data))).toEqual({ lastEventId: appended[2], oldestRetainedId: appended[6], reason: 'resume_point_not_retained' });
    expect(events.map((m) => m.id)).toEqual(appended.slice(6));
    // Resuming right before the oldest retained event lost nothing.
    const exact = await open('/events', { 'last-event-id': appended[5]! });
    await waitUntil(() => ids(exact).length === 4, 'the retained events');
    expect(exact.parsed().messages.map((m) => m.event)).toEqual(['order', 'order', 'order', 'order']);
  });

  it('sends `: keepalive` on an idle stream every events.keepaliveMs', async () => {
    const view = new LiveView();
    view.liveEvents = { feed, keepaliveMs: 20 };
    const fast = buildAdminApp({ view, logger });
    await fast.listen({ host: '127.0.0.1', port: 0 });
    try {
      const stream = await openStream(`http://127.0.0.1:${(fast.server.address() as { port: number }).port}/events`);
      streams.push(stream);
      await waitUntil(() => stream.parsed().comments.filter((c) => c === 'keepalive').length >= 2, 'two keepalives');
    } finally {
      await fast.close();
    }
  });

  it('shares one tail connection among its clients, and lets it go when the last one disconnects', async () => {
    // The test's own connection carries the name too. An earlier test's last client may still be
    // letting its tail connection go: start once only the test's own is left.
    await waitUntil(async () => feed.clients === 0 && (await tailConnections()) === 1, 'no tail connection before the test');
    const a = await open();
    const b = await open();
    expect(feed.clients).toBe(2);
    await waitUntil(async () => (await tailConnections()) === 2, 'one tail connection for both clients');
    expect(await tailConnections()).toBe(2);
    a.close();
    b.close();
    await waitUntil(() => feed.clients === 0, 'both clients gone');
    await waitUntil(async () => (await tailConnections()) === 1, 'the tail connection closed');
  });

  it("the server's close ends open streams and does not wait on them", async () => {
    const a = await open();
    const b = await open('/events?types=halt');
    await app.close();
    await Promise.all([a.ended, b.ended]);
    expect(feed.clients).toBe(0);
  });

  it('answers 503 where the process keeps no event stream, and needs a token beyond loopback', async () => {
    const none = buildAdminApp({ view: new FakeRuntimeView(), logger });
    expect((await none.inject({ method: 'GET', url: '/events' })).json()).toEqual({ error: { code: 'events_unavailable', message: expect.any(String) } });
    await none.close();
    const view = new LiveView();
    view.liveEvents = { feed, keepaliveMs: 60_000 };
    const exposed = buildAdminApp({ view, logger, host: '0.0.0.0', readToken: 'read-token-0123' });
    expect((await exposed.inject({ method: 'GET', url: '/events' })).statusCode).toBe(401);
    await exposed.close();
  });

  it('is documented in the OpenAPI document as text/event-stream with each event type', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { anyOf: { properties: { event: { enum: string[] } } }[] } }> }> } }> };
    const schema = doc.paths['/events']!.get.responses['200']!.content['text/event-stream']!.schema;
    expect(schema.anyOf.map((message) => message.properties.event.enum[0])).toEqual(['order', 'fill', 'break', 'halt', 'reportable', 'connection', 'roll', 'lost']);
  });
});
