import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventAppender } from '../../src/events/eventAppender.ts';
import { entriesOf, type RawStreamEntry } from '../../src/events/eventEntry.ts';
import { Fence } from '../../src/lease/fence.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { freePort } from '../../src/runtime/freePort.ts';
import { createMemoryLogger } from '../admin/memoryLogger.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { waitUntil } from '../support/waitUntil.ts';

const prefix = `test-events-appender-${process.pid}`;
let redis: Redis;
let n = 0;
const keysFor = () => {
  n += 1;
  return { key: `${prefix}:${n}:events`, fillsPositionKey: `${prefix}:${n}:fills`, fenceKey: `${prefix}:${n}:fence` };
};
const entries = async (key: string) => entriesOf((await redis.xrange(key, '-', '+')) as RawStreamEntry[]);

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await deleteByPrefix(redis, prefix);
  redis.disconnect();
});

describe('the event appender', () => {
  it('appends what is recorded, in order, as type / prev / data entries, trimmed to about maxLen', async () => {
    const { key, fillsPositionKey } = keysFor();
    const appender = new EventAppender(redis, { key, fillsPositionKey, maxLen: 100, fence: Fence.none(), logger: createSilentLogger() });
    for (let i = 0; i < 1_000; i += 1) appender.record(i % 2 ? 'order' : 'halt', { i });
    await appender.stop();
    const stored = await entries(key);
    // MAXLEN ~ trims whole radix-tree nodes: about maxLen, never fewer.
    expect(stored.length).toBeGreaterThanOrEqual(100);
    expect(stored.length).toBeLessThan(1_000);
    expect(stored.at(-1)).toMatchObject({ type: 'order', data: JSON.stringify({ i: 999 }) });
    const numbers = stored.map((entry) => (JSON.parse(entry.data) as { i: number }).i);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it('moves a relay position in the same step as the relayed events, and only then resolves', async () => {
    const { key, fillsPositionKey } = keysFor();
    const appender = new EventAppender(redis, { key, fillsPositionKey, maxLen: 1_000, fence: Fence.none(), logger: createSilentLogger() });
    appender.record('order', { before: true });
    await appender.relay([{ type: 'fill', payload: { execId: 'e1' } }], '5-1');
    expect(await redis.get(fillsPositionKey)).toBe('5-1');
    expect((await entries(key)).map((entry) => entry.type)).toEqual(['order', 'fill']);
    await appender.relay([], '6-0');
    expect(await redis.get(fillsPositionKey)).toBe('6-0');
    expect(await entries(key)).toHaveLength(2);
    // A relayed batch larger than one script call's share still goes in one call, with its position.
    for (let i = 0; i < 300; i += 1) appender.record('order', { i });
    const relayed = appender.relay(Array.from({ length: 450 }, (_, i) => ({ type: 'fill' as const, payload: { i } })), '7-0');
    await relayed;
    expect(await redis.get(fillsPositionKey)).toBe('7-0');
    expect(await entries(key)).toHaveLength(752);
    await appender.stop();
  });

  it('appends nothing once the lease token is superseded: reports the fence, refuses relays, takes nothing more', async () => {
    const { key, fillsPositionKey, fenceKey } = keysFor();
    const fence = new Fence(fenceKey);
    fence.hold(5, Number.POSITIVE_INFINITY);
    await redis.set(fenceKey, '5');
    const fenced: string[] = [];
    fence.onFenced((reason) => fenced.push(reason));
    const appender = new EventAppender(redis, { key, fillsPositionKey, maxLen: 1_000, fence, logger: createSilentLogger() });
    appender.record('order', { ok: true });
    await appender.relay([], '1-0');
    expect(await entries(key)).toHaveLength(1);

    await redis.set(fenceKey, '6');
    appender.record('order', { stale: true });
    await expect(appender.relay([{ type: 'fill', payload: {} }], '2-0')).rejects.toThrow(/FENCED/);
    expect(fenced).toHaveLength(1);
    appender.record('order', { after: true });
    await appender.stop();
    expect(await entries(key)).toHaveLength(1);
    expect(await redis.get(fillsPositionKey)).toBe('1-0');
  });

  it('while Redis does not answer, holds what is recorded up to its bound and says when it drops the oldest', async () => {
    const port = await freePort();
    const nowhere = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    nowhere.on('error', () => undefined);
    const { key, fillsPositionKey } = keysFor();
    const { logger, entries: logs } = createMemoryLogger();
    const appender = new EventAppender(nowhere, { key, fillsPositionKey, maxLen: 1_000, fence: Fence.none(), logger, maxPending: 10 });
    for (let i = 0; i < 25; i += 1) appender.record('order', { i });
    await waitUntil(() => logs.some((line) => line.message.startsWith('live events not appended yet')), 'the retry is logged');
    expect(logs.find((line) => line.message.startsWith('live events dropped'))).toMatchObject({ level: 'error', maxPending: 10 });
    await appender.stop(50);
    expect(logs.at(-1)).toMatchObject({ message: 'live events not appended before the stop were dropped', events: 10 });
    nowhere.disconnect();
  });
});
