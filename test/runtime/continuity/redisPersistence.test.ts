import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgePersistence, readRedisPersistence, type RedisPersistence } from '../../../src/runtime/continuity/redisPersistence.ts';
import { startVolatileRedis, type VolatileRedis } from './volatileRedis.ts';

let plain: VolatileRedis;
let managed: VolatileRedis;
beforeAll(async () => {
  [plain, managed] = await Promise.all([startVolatileRedis(), startVolatileRedis(['--rename-command', 'CONFIG', ''])]);
});
afterAll(async () => {
  await Promise.all([plain?.stop(), managed?.stop()]);
});

const settings = (overrides: Partial<Extract<RedisPersistence, { readable: true }>> = {}): RedisPersistence => ({
  readable: true,
  appendonly: 'yes',
  appendfsync: 'everysec',
  save: '3600 1',
  maxmemoryPolicy: 'noeviction',
  ...overrides,
});
const URL = 'redis://:s3cret@127.0.0.1:6390';

describe('reading Redis persistence', () => {
  it('reads appendonly, appendfsync, save and maxmemory-policy as the server has them', async () => {
    expect(await readRedisPersistence(plain.admin)).toEqual({ readable: true, appendonly: 'no', appendfsync: 'everysec', save: '', maxmemoryPolicy: 'noeviction' });
    await plain.admin.call('CONFIG', 'SET', 'appendonly', 'yes');
    await plain.admin.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    expect(await readRedisPersistence(plain.admin)).toMatchObject({ appendonly: 'yes', maxmemoryPolicy: 'allkeys-lru' });
  });

  it('a Redis that does not permit CONFIG (as managed ones) is reported as unreadable, with why', async () => {
    const found = await readRedisPersistence(managed.admin);
    expect(found).toMatchObject({ readable: false, why: expect.stringMatching(/unknown command/i) });
  });

  it('a Redis that is gone is a failure, not "unreadable"', async () => {
    const nowhere = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    nowhere.on('error', () => undefined);
    await expect(readRedisPersistence(nowhere)).rejects.toThrow();
    nowhere.disconnect();
  });
});

describe('judging Redis persistence', () => {
  it('nothing on disk: broker mode ib refuses and says why (without the password) and how to go on; with the flag, or in sim mode, a warning', () => {
    const volatile = settings({ appendonly: 'no', save: '' });
    const refused = judgePersistence(volatile, { brokerMode: 'ib', allowVolatile: false, url: URL });
    expect(refused.refusal).toMatch(/keeps nothing on disk \(appendonly no, save ""\)/);
    expect(refused.refusal).toMatch(/--allow-volatile-redis/);
    expect(refused.refusal).toContain('redis://:[redacted]@127.0.0.1:6390');
    expect(refused.refusal).not.toContain('s3cret');
    expect(judgePersistence(volatile, { brokerMode: 'ib', allowVolatile: true, url: URL })).toMatchObject({ refusal: null, warnings: [expect.stringMatching(/Started anyway/)] });
    expect(judgePersistence(volatile, { brokerMode: 'sim', allowVolatile: false, url: URL })).toMatchObject({ refusal: null, warnings: [expect.stringMatching(/Acceptable with the simulator/)] });
  });

  it('AOF with everysec or always and noeviction: nothing to say; weaker settings are named', () => {
    for (const appendfsync of ['everysec', 'always']) expect(judgePersistence(settings({ appendfsync }), { brokerMode: 'ib', allowVolatile: false, url: URL })).toEqual({ refusal: null, warnings: [] });
    const warn = (found: RedisPersistence) => judgePersistence(found, { brokerMode: 'ib', allowVolatile: false, url: URL }).warnings.join('\n');
    expect(warn(settings({ appendonly: 'no' }))).toMatch(/only RDB snapshots/);
    expect(warn(settings({ appendfsync: 'no' }))).toMatch(/appendfsync is no/);
    expect(warn(settings({ maxmemoryPolicy: 'volatile-lru' }))).toMatch(/maxmemory-policy is volatile-lru.*BullMQ needs noeviction/);
    expect(warn({ readable: false, why: 'NOPERM' })).toMatch(/CONFIG GET is not permitted \(NOPERM\)/);
  });
});
