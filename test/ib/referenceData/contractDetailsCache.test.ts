import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CachedLookupError, ContractDetailsCache, type ReferenceDataCacheConfig } from '../../../src/ib/referenceData/index.ts';
import { connectRedis, deleteByPrefix, fullPrefix, scriptedLoader, TEST_NAMESPACE, uniquePrefix } from './redisFixture.ts';
import { waitUntil } from '../../support/waitUntil.ts';

interface Details {
  conId: number;
  minTick: number;
  tradingHours: string;
}

const ES: Details = { conId: 495512563, minTick: 0.25, tradingHours: '20251201:1700-20251202:1600' };
const NQ: Details = { conId: 563947738, minTick: 0.25, tradingHours: '20251201:1700-20251202:1600' };

const redis = connectRedis();
const prefixes: string[] = [];
afterEach(async () => {
  await Promise.all(prefixes.splice(0).map((prefix) => deleteByPrefix(redis, fullPrefix(prefix))));
});
afterAll(() => redis.disconnect());

function newCache(config: Partial<ReferenceDataCacheConfig> = {}, now?: () => number) {
  const keyPrefix = config.keyPrefix ?? uniquePrefix();
  if (!prefixes.includes(keyPrefix)) prefixes.push(keyPrefix);
  return new ContractDetailsCache<Details>({ redis, namespace: TEST_NAMESPACE, config: { ...config, keyPrefix }, ...(now ? { now } : {}) });
}

function manualClock() {
  let time = 1_000_000;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('two layers', () => {
  it('loads on a miss, then answers from memory without asking again', async () => {
    const cache = newCache();
    const loader = scriptedLoader(ES);
    expect(await cache.get('FUT:ES', loader.load)).toEqual(ES);
    expect(await cache.get('FUT:ES', loader.load)).toEqual(ES);
    expect(loader.calls).toBe(1);
  });

  it('stores the value in Redis with the configured TTL', async () => {
    const cache = newCache({ ttlMs: 60_000 });
    await cache.get('FUT:ES', scriptedLoader(ES).load);
    const key = `${cache.keyPrefix}FUT:ES`;
    expect(JSON.parse((await redis.get(key))!)).toMatchObject({ ok: true, value: ES });
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('a second process (fresh memory, same Redis) is served from Redis and fills its memory', async () => {
    const keyPrefix = uniquePrefix();
    await newCache({ keyPrefix }).get('FUT:ES', scriptedLoader(ES).load);
    const other = newCache({ keyPrefix });
    const loader = scriptedLoader(NQ);
    expect(await other.get('FUT:ES', loader.load)).toEqual(ES);
    expect(loader.calls).toBe(0);
    expect(other.localKeys()).toEqual(['FUT:ES']);
    await redis.del(`${fullPrefix(keyPrefix)}FUT:ES`);
    expect(await other.get('FUT:ES', loader.load)).toEqual(ES);
    expect(loader.calls).toBe(0);
  });

  it('falls back to Redis when the memory entry expires', async () => {
    const clock = manualClock();
    const cache = newCache({ ttlMs: 60_000 }, clock.now);
    const loader = scriptedLoader(ES, NQ);
    await cache.get('FUT:ES', loader.load);
    clock.advance(60_001);
    expect(cache.localKeys()).toEqual(['FUT:ES']);
    expect(await cache.get('FUT:ES', loader.load)).toEqual(ES);
    expect(loader.calls).toBe(1);
  });

  it('loads again once the TTL has passed in both layers', async () => {
    const cache = newCache({ ttlMs: 50, negativeTtlMs: 50 });
    const loader = scriptedLoader(ES, NQ);
    const loadedBy = Date.now();
    await cache.get('FUT:ES', loader.load);
    expect(await cache.get('FUT:ES', loader.load)).toEqual(ES);
    const key = `${cache.keyPrefix}FUT:ES`;
    await waitUntil(async () => (await redis.exists(key)) === 0 && Date.now() > loadedBy + 50, 'the Redis entry to expire', 2000);
    expect(await cache.get('FUT:ES', loader.load)).toEqual(NQ);
    expect(loader.calls).toBe(2);
  });

  it('treats an entry it cannot read as a miss and replaces it', async () => {
    const cache = newCache();
    await redis.set(`${cache.keyPrefix}FUT:ES`, 'not json', 'PX', 60_000);
    const loader = scriptedLoader(ES);
    expect(await cache.get('FUT:ES', loader.load)).toEqual(ES);
    expect(loader.calls).toBe(1);
    expect(JSON.parse((await redis.get(`${cache.keyPrefix}FUT:ES`))!)).toMatchObject({ value: ES });
  });
});

describe('LRU bound on memory', () => {
  it('evicts the least recently used contract; an evicted one still comes from Redis', async () => {
    const cache = newCache({ l1MaxEntries: 2 });
    const loader = scriptedLoader(ES);
    await cache.get('a', loader.load);
    await cache.get('b', loader.load);
    await cache.get('a', loader.load);
    await cache.get('c', loader.load);
    expect(cache.localKeys()).toEqual(['a', 'c']);
    expect(loader.calls).toBe(3);
    await cache.get('b', loader.load);
    expect(loader.calls).toBe(3);
    expect(cache.localKeys()).toEqual(['c', 'b']);
  });
});

describe('failures are cached briefly', () => {
  it('rethrows the load error, then answers with CachedLookupError without loading, then loads again', async () => {
    const cache = newCache({ negativeTtlMs: 80 });
    const outage = new Error('IB request 7 failed with 1100: connectivity lost');
    const loader = scriptedLoader<Details>(outage, ES);
    await expect(cache.get('FUT:ES', loader.load)).rejects.toBe(outage);
    for (let i = 0; i < 5; i += 1) {
      const error = await cache.get('FUT:ES', loader.load).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CachedLookupError);
      expect((error as CachedLookupError).originalMessage).toBe(outage.message);
      expect((error as CachedLookupError).key).toBe('FUT:ES');
      expect((error as CachedLookupError).message).toContain(outage.message);
    }
    expect(loader.calls).toBe(1);
    const key = `${cache.keyPrefix}FUT:ES`;
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(80);
    await waitUntil(async () => (await redis.exists(key)) === 0, 'the Redis entry to expire', 2000);
    expect(await cache.get('FUT:ES', loader.load)).toEqual(ES);
    expect(loader.calls).toBe(2);
  });

  it('shares the failure with other processes through Redis, with the time left on it', async () => {
    const keyPrefix = uniquePrefix();
    await newCache({ keyPrefix, negativeTtlMs: 5000 }).get('FUT:XX', scriptedLoader<Details>(new Error('No security definition has been found')).load).catch(() => {});
    const other = newCache({ keyPrefix, negativeTtlMs: 5000 });
    const loader = scriptedLoader(ES);
    const error = (await other.get('FUT:XX', loader.load).catch((e: unknown) => e)) as CachedLookupError;
    expect(error).toBeInstanceOf(CachedLookupError);
    expect(error.originalMessage).toBe('No security definition has been found');
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(5000);
    expect(loader.calls).toBe(0);
  });

  it('keeps a non-Error rejection’s text', async () => {
    const cache = newCache();
    await expect(cache.get('k', () => Promise.reject('gateway said no'))).rejects.toBe('gateway said no');
    await expect(cache.get('k', scriptedLoader(ES).load)).rejects.toMatchObject({ originalMessage: 'gateway said no' });
  });
});

describe('single flight', () => {
  it('concurrent misses for one key share one load', async () => {
    const cache = newCache();
    let release!: (details: Details) => void;
    let calls = 0;
    const load = () => {
      calls += 1;
      return new Promise<Details>((resolve) => (release = resolve));
    };
    const gets = Array.from({ length: 25 }, () => cache.get('FUT:ES', load));
    await waitUntil(() => calls > 0, 'the loader to be called');
    release(ES);
    expect(await Promise.all(gets)).toEqual(Array(25).fill(ES));
    expect(calls).toBe(1);
  });

  it('concurrent misses share one failure too, each seeing the original error', async () => {
    const cache = newCache();
    const loader = scriptedLoader<Details>(new Error('pacing violation'));
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => cache.get('FUT:ES', loader.load)));
    expect(loader.calls).toBe(1);
    for (const result of results) expect(result).toMatchObject({ status: 'rejected', reason: { message: 'pacing violation' } });
  });

  it('different keys load independently', async () => {
    const cache = newCache();
    const loader = scriptedLoader(ES);
    await Promise.all([cache.get('a', loader.load), cache.get('b', loader.load), cache.get('a', loader.load)]);
    expect(loader.calls).toBe(2);
  });
});
