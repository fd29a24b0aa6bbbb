import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

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

/** Polls until `condition` holds, failing after `timeoutMs` instead of hanging the suite. */
export async function waitUntil(condition: () => Promise<boolean> | boolean, timeoutMs = 2000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

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
