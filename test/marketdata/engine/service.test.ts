import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { namespaceKeys } from '../../../src/redis/namespaceKeys.ts';
import { parseMarketDataConfig } from '../../../src/marketdata/marketDataConfig.ts';
import { MarketDataService } from '../../../src/marketdata/marketDataService.ts';
import { readRejects } from '../../../src/marketdata/rejectStream.ts';
import { EventBus } from '../../../src/supervision/eventBus.ts';
import { batchOf, TestClock } from './engineKit.ts';
import { redisUrlForDb } from '../../support/redisUrl.ts';

const REDIS_URL = redisUrlForDb(13);
const namespace = `test-md-service-${process.pid}-${Date.now()}`;
const ns = namespaceKeys(namespace);
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });

afterAll(async () => {
  const keys = await redis.keys(`${namespace}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('MarketDataService', () => {
  it('wires the engine to the bus, Redis and metrics as configured, and flushes on stop', async () => {
    const config = parseMarketDataConfig({
      instruments: { ES: {}, NQ: {} },
      outputs: { eventBus: { enabled: true, flushIntervalMs: 60_000 }, redis: { mode: 'stream', conflateMs: 60_000, key: 'prices', streamMaxLen: 100 } },
      rejects: { ringSize: 64, streamKey: 'rejects', streamMaxLen: 100, flushIntervalMs: 60_000 },
    });
    const bus = new EventBus();
    const topics: string[] = [];
    bus.subscribe('market_data.*', (_price, topic) => {
      topics.push(topic);
    });
    const metrics = new Registry();
    const clock = new TestClock();
    // The config names the keys relative to the namespace; the runtime resolves them (startMarketData).
    const keys = { prices: ns.marketDataPrices(config.outputs.redis.key), rejects: ns.marketDataRejects(config.rejects.streamKey) };
    const service = new MarketDataService({ config, bus, redis, keys, metrics, now: clock.now });
    service.start();
    service.engine.ingest(batchOf('ib', [{ last: 100 }, { instrument: 1, last: 0 }], clock));
    await service.stop();
    expect(topics).toEqual(['market_data.ES']);
    expect(await redis.xlen(`${namespace}:prices`)).toBe(1);
    expect((await readRejects(redis, { key: `${namespace}:rejects` })).map((r) => [r.symbol, r.reason])).toEqual([['NQ', 'non_positive']]);
    expect(await metrics.metrics()).toContain('tradewire_marketdata_ticks_received_total{source="ib"} 2');
  });
});
