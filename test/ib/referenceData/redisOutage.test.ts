import { once } from 'node:events';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CachedLookupError, ContractDetailsCache } from '../../../src/ib/referenceData/index.ts';
import { createMemoryLogger } from '../../admin/memoryLogger.ts';
import { REDIS_URL } from '../../support/redisUrl.ts';
import { connectRedis, deleteByPrefix, fullPrefix, scriptedLoader, TEST_NAMESPACE, uniquePrefix } from './redisFixture.ts';

const outageWarnings = (entries: { message: string }[]) => entries.filter((e) => e.message.includes('Redis unavailable'));

const clients: Redis[] = [];
const writtenPrefixes: string[] = [];
afterAll(async () => {
  clients.forEach((client) => client.disconnect());
  const cleanup = connectRedis();
  for (const prefix of writtenPrefixes) await deleteByPrefix(cleanup, fullPrefix(prefix));
  cleanup.disconnect();
});

/** Drops the connection the way a network cut would, and waits until the client has noticed. */
async function cut(client: Redis): Promise<void> {
  const ended = once(client, 'end');
  client.disconnect();
  await ended;
}

/** A client for a Redis that is not there, failing fast the way production is configured. */
function unreachableRedis(): Redis {
  const client = new Redis('redis://127.0.0.1:1', {
    connectTimeout: 100,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  clients.push(client);
  return client;
}

describe('Redis unavailable', () => {
  it('serves through load and memory, never throws for Redis, and warns once per outage', async () => {
    const { logger, entries } = createMemoryLogger();
    const cache = new ContractDetailsCache<string>({ namespace: TEST_NAMESPACE, redis: unreachableRedis(), config: { keyPrefix: uniquePrefix() }, logger });
    const loader = scriptedLoader('ES details');
    expect(await cache.get('FUT:ES', loader.load)).toBe('ES details');
    expect(await cache.get('FUT:ES', loader.load)).toBe('ES details');
    expect(await cache.get('FUT:NQ', loader.load)).toBe('ES details');
    expect(loader.calls).toBe(2);
    expect(cache.redisAvailable).toBe(false);
    expect(outageWarnings(entries)).toHaveLength(1);
    expect(outageWarnings(entries)[0]).toMatchObject({ level: 'warn', error: { message: expect.any(String) } });
  });

  it('still caches failures in memory during the outage', async () => {
    const cache = new ContractDetailsCache<string>({ namespace: TEST_NAMESPACE, redis: unreachableRedis(), config: { keyPrefix: uniquePrefix() } });
    const loader = scriptedLoader<string>(new Error('timeout'));
    await expect(cache.get('FUT:ES', loader.load)).rejects.toThrow('timeout');
    await expect(cache.get('FUT:ES', loader.load)).rejects.toBeInstanceOf(CachedLookupError);
    expect(loader.calls).toBe(1);
  });

  it('a Redis that accepts connections but never answers costs at most the Redis timeout', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const client = new Redis(port, '127.0.0.1', { enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    clients.push(client);
    try {
      const cache = new ContractDetailsCache<string>({ namespace: TEST_NAMESPACE, redis: client, config: { keyPrefix: uniquePrefix(), redisTimeoutMs: 50 } });
      const started = performance.now();
      expect(await cache.get('FUT:ES', scriptedLoader('ES details').load)).toBe('ES details');
      // One read and one write, each bounded by the 50 ms timeout.
      expect(performance.now() - started).toBeLessThan(1000);
      expect(cache.redisAvailable).toBe(false);
    } finally {
      client.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('logs when Redis comes back and warns again at the next outage', async () => {
    const client = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => {});
    clients.push(client);
    await client.connect();
    const keyPrefix = uniquePrefix();
    writtenPrefixes.push(keyPrefix);
    const { logger, entries } = createMemoryLogger();
    const cache = new ContractDetailsCache<string>({ namespace: TEST_NAMESPACE, redis: client, config: { keyPrefix }, logger });
    const loader = scriptedLoader('value');
    await cache.get('a', loader.load);
    await cut(client);
    await cache.get('b', loader.load);
    await cache.get('c', loader.load);
    await client.connect();
    await cache.get('d', loader.load);
    expect(cache.redisAvailable).toBe(true);
    await cut(client);
    await cache.get('e', loader.load);
    expect(loader.calls).toBe(5);
    const messages = entries.map((e) => e.message).filter((m) => m.includes('Redis'));
    expect(messages).toEqual([
      expect.stringContaining('Redis unavailable'),
      expect.stringContaining('Redis is back'),
      expect.stringContaining('Redis unavailable'),
    ]);
  });
});
