import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { deleteByPrefix } from './redisKeys.ts';
import { REDIS_URL } from './redisUrl.ts';

/**
 * A connection to the shared Redis for one test file, and a key prefix of its own that is deleted
 * after the file's tests (the shared Redis is never flushed).
 */
export function useSharedRedis(name: string): { prefix: string; redis: () => Redis } {
  const prefix = `test-${name}-${process.pid}`;
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  });
  return { prefix, redis: () => redis };
}
