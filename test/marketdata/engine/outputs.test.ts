import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEventBusOutput } from '../../../src/marketdata/eventBusOutput.ts';
import type { ConsolidatedPrice } from '../../../src/marketdata/consolidatedPrices.ts';
import { createRedisOutput } from '../../../src/marketdata/redisOutput.ts';
import { EventBus } from '../../../src/supervision/eventBus.ts';
import { makeEngine, send } from './engineKit.ts';
import { redisUrlForDb } from '../../support/redisUrl.ts';

const REDIS_URL = redisUrlForDb(13);
const prefix = `test:md:outputs:${process.pid}:${Date.now()}`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('event bus output', () => {
  afterEach(() => vi.useRealTimers());

  it('publishes market_data.<symbol> at most once per instrument per flush interval, with the newest price', () => {
    vi.useFakeTimers();
    const { engine, clock } = makeEngine();
    const bus = new EventBus();
    const seen: Array<[string, number]> = [];
    bus.subscribe<ConsolidatedPrice>('market_data.*', (price, topic) => {
      seen.push([topic, price.price]);
    });
    const output = createEventBusOutput(engine, bus, 100);
    output.start();
    for (let i = 0; i < 50; i++) {
      send(engine, 'a', [{ last: 100 + i * 0.25 }, { instrument: 1, last: 200 }], clock);
      clock.advance(1);
    }
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([
      ['market_data.ES', 112.25],
      ['market_data.NQ', 200],
    ]);
    vi.advanceTimersByTime(500);
    expect(seen).toHaveLength(2);
    send(engine, 'a', [{ last: 113 }], clock);
    vi.advanceTimersByTime(100);
    expect(seen.at(-1)).toEqual(['market_data.ES', 113]);
    void output.stop();
  });
});

describe('redis output', () => {
  it('appends conflated prices to a capped stream', async () => {
    const { engine, clock } = makeEngine();
    const key = `${prefix}:prices`;
    const output = createRedisOutput(engine, redis, { mode: 'stream', key, conflateMs: 1_000, streamMaxLen: 1_000 });
    for (let i = 0; i < 10; i++) {
      send(engine, 'a', [{ bid: 100 + i, ask: 100.5 + i }], clock);
      clock.advance(1);
    }
    expect(output.flush()).toBe(1);
    await output.stop();
    const entries = await redis.xrange(key, '-', '+');
    expect(entries).toHaveLength(1);
    const fields = Object.fromEntries(entries[0]![1].reduce<string[][]>((pairs, value, i, all) => (i % 2 === 0 ? [...pairs, [value, all[i + 1]!]] : pairs), []));
    expect(fields).toMatchObject({ symbol: 'ES', price: '109.25', bid: '109', ask: '109.5', sourceCount: '1' });
  });

  it('publishes conflated prices as JSON on <key>:<symbol> channels', async () => {
    const { engine, clock } = makeEngine();
    const key = `${prefix}:live`;
    const subscriber = new Redis(REDIS_URL);
    const received: ConsolidatedPrice[] = [];
    const gotOne = new Promise<void>((resolve) => subscriber.on('message', (_channel: string, message: string) => {
      received.push(JSON.parse(message) as ConsolidatedPrice);
      resolve();
    }));
    await subscriber.subscribe(`${key}:NQ`);
    const output = createRedisOutput(engine, redis, { mode: 'pubsub', key, conflateMs: 1_000, streamMaxLen: 1 });
    send(engine, 'a', [{ instrument: 1, last: 200 }, { instrument: 1, last: 201, ts: clock.ms + 1 }], clock);
    output.flush();
    await gotOne;
    await output.stop();
    subscriber.disconnect();
    expect(received.map((p) => [p.symbol, p.price, p.sourceCount])).toEqual([['NQ', 201, 1]]);
  });
});
