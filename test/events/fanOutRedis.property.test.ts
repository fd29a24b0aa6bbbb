import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventAppender } from '../../src/events/eventAppender.ts';
import { entriesOf, type EventEntry, type RawStreamEntry } from '../../src/events/eventEntry.ts';
import { EventFeed } from '../../src/events/eventFeed.ts';
import { RedisEventStream } from '../../src/events/redisEventStream.ts';
import { Fence } from '../../src/lease/fence.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { ClientSessions } from './clientSessions.ts';
import { expectEveryEventOnceAndEveryGapAnnounced } from './fanOutChecks.ts';

const prefix = `test-events-fanout-${process.pid}`;
let redis: Redis;
let runs = 0;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await deleteByPrefix(redis, prefix);
  redis.disconnect();
});

type Step = { kind: 'record'; count: number } | { kind: 'trim'; keep: number } | { kind: 'block' | 'unblock' | 'reconnect'; client: number } | { kind: 'turn' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('record' as const), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('trim' as const), keep: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ kind: fc.constantFrom('block' as const, 'unblock' as const, 'reconnect' as const), client: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('turn' as const) }),
);

describe('fan-out over a real Redis stream: the appender, the shared tail, XRANGE catch-up', () => {
  it('whatever the interleaving of appends, exact trims (XTRIM), backed-up sockets and resumes, each client gets every retained event once, in order, and hears of every gap (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (ringCapacity, batch, steps) => {
        runs += 1;
        const key = `${prefix}:${runs}`;
        const logger = createSilentLogger();
        const appender = new EventAppender(redis, { key, fillsPositionKey: `${key}:fills`, maxLen: 1_000_000, fence: Fence.none(), logger });
        const feed = new EventFeed(new RedisEventStream(redis, key), { ringCapacity, batch, blockMs: 200, logger });
        const history = new Map<string, EventEntry>();
        // Everything appended so far is in Redis (a relay with no events queues behind them), and noted before any trim.
        const settleAndNote = async () => {
          await appender.relay([], '0-0');
          for (const entry of entriesOf((await redis.xrange(key, '-', '+')) as RawStreamEntry[])) history.set(entry.id, entry);
        };
        let n = 0;
        const clients = [new ClientSessions(feed), new ClientSessions(feed)];
        try {
          for (const client of clients) await client.connect();
          for (const step of steps) {
            if (step.kind === 'record') for (let i = 0; i < step.count; i += 1) appender.record('order', { n: (n += 1) });
            else if (step.kind === 'trim') {
              await settleAndNote();
              await redis.xtrim(key, 'MAXLEN', step.keep);
            } else if (step.kind === 'block') clients[step.client]!.block();
            else if (step.kind === 'unblock') clients[step.client]!.unblock();
            else if (step.kind === 'reconnect') {
              await clients[step.client]!.disconnect();
              await clients[step.client]!.connect();
            } else await new Promise((resolve) => setImmediate(resolve));
          }
          await settleAndNote();
          const head = await new RedisEventStream(redis, key).head();
          for (const client of clients) client.unblock();
          await waitUntil(() => clients.every((client) => client.position === head || head === '0-0'), 'every client caught up', 10_000);
        } finally {
          for (const client of clients) await client.disconnect();
          await feed.close();
          await appender.stop();
        }
        const retained = new Set(entriesOf((await redis.xrange(key, '-', '+')) as RawStreamEntry[]).map((entry) => entry.id));
        for (const client of clients) expectEveryEventOnceAndEveryGapAnnounced(client.messages, { start: client.start, history, retained });
        await redis.del(key, `${key}:fills`);
      }),
      { numRuns: 60 },
    );
  });

  it('every appended entry names the one before it (prev), across batches and appenders', async () => {
    const key = `${prefix}:chain`;
    const logger = createSilentLogger();
    const first = new EventAppender(redis, { key, fillsPositionKey: `${key}:fills`, maxLen: 1_000, fence: Fence.none(), logger });
    for (let i = 0; i < 700; i += 1) first.record('order', { i });
    await first.stop();
    // A new active node's appender: no memory of its own, it chains on the stream's last entry.
    const second = new EventAppender(redis, { key, fillsPositionKey: `${key}:fills`, maxLen: 1_000, fence: Fence.none(), logger });
    second.record('halt', { i: 700 });
    await second.stop();
    const entries = entriesOf((await redis.xrange(key, '-', '+')) as RawStreamEntry[]);
    expect(entries).toHaveLength(701);
    expect(entries[0]!.prev).toBe('0-0');
    for (let i = 1; i < entries.length; i += 1) expect(entries[i]!.prev).toBe(entries[i - 1]!.id);
    expect(entries.map((entry) => (JSON.parse(entry.data) as { i: number }).i)).toEqual([...Array(701).keys()]);
  });
});
