import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/runtime/freePort.ts';
import { judgePersistence, readRedisPersistence } from '../../src/runtime/continuity/redisPersistence.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { ROOT } from './deployFiles.ts';

describe('deploy/redis/redis.conf', () => {
  it('is accepted by redis-server, which then keeps an AOF fsynced every second, never evicts, and passes the runtime start check for broker ib', async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'tradewire-redisconf-'));
    const server = spawn('redis-server', [path.join(ROOT, 'deploy/redis/redis.conf'), '--port', String(port), '--bind', '127.0.0.1', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout.on('data', (chunk) => (output += chunk));
    server.stderr.on('data', (chunk) => (output += chunk));
    const exited = once(server, 'exit');
    const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 0 });
    redis.on('error', () => undefined);
    try {
      await waitUntil(async () => {
        if (server.exitCode !== null) throw new Error(`redis-server refused the file:\n${output}`);
        return (await redis.ping().catch(() => 'down')) === 'PONG';
      }, 'redis-server on deploy/redis/redis.conf', 10_000);
      const setting = async (name: string) => ((await redis.call('CONFIG', 'GET', name)) as string[])[1];
      expect({
        appendonly: await setting('appendonly'),
        appendfsync: await setting('appendfsync'),
        'maxmemory-policy': await setting('maxmemory-policy'),
        'no-appendfsync-on-rewrite': await setting('no-appendfsync-on-rewrite'),
        'aof-load-truncated': await setting('aof-load-truncated'),
        'aof-use-rdb-preamble': await setting('aof-use-rdb-preamble'),
        'stop-writes-on-bgsave-error': await setting('stop-writes-on-bgsave-error'),
        save: await setting('save'),
      }).toEqual({
        appendonly: 'yes',
        appendfsync: 'everysec',
        'maxmemory-policy': 'noeviction',
        'no-appendfsync-on-rewrite': 'no',
        'aof-load-truncated': 'yes',
        'aof-use-rdb-preamble': 'yes',
        'stop-writes-on-bgsave-error': 'yes',
        save: '3600 1 300 100 60 10000',
      });
      const verdict = judgePersistence(await readRedisPersistence(redis), { brokerMode: 'ib', allowVolatile: false, url: `redis://127.0.0.1:${port}` });
      expect(verdict).toEqual({ refusal: null, warnings: [] });
    } finally {
      await redis.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
      redis.disconnect();
      if (server.exitCode === null) await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
