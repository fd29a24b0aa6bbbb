import { Redis } from 'ioredis';

import { REDIS_URL } from '../../support/redisUrl.ts';

export function connectRedis(): Redis {
  return new Redis(REDIS_URL, { enableOfflineQueue: true, maxRetriesPerRequest: 1 });
}

/** The caches' namespace here: their keys are `test:<keyPrefix>...`. */
export const TEST_NAMESPACE = 'test';

/** A key prefix (relative to TEST_NAMESPACE) no other test (or test run) shares. */
export function uniquePrefix(): string {
  return `refdata:${process.pid}:${Math.random().toString(36).slice(2)}:`;
}

/** Where a cache with this relative key prefix writes. */
export const fullPrefix = (keyPrefix: string) => `${TEST_NAMESPACE}:${keyPrefix}`;

export { deleteByPrefix } from '../../support/redisKeys.ts';

/** A loader that counts its calls and answers from a script of results. */
export function scriptedLoader<T>(...results: Array<T | Error>) {
  const loader = {
    calls: 0,
    load: async (): Promise<T> => {
      const result = results[Math.min(loader.calls, results.length - 1)];
      loader.calls += 1;
      if (result instanceof Error) throw result;
      return result as T;
    },
  };
  return loader;
}
