import { Redis } from 'ioredis';
import { redactUrlPassword } from '../config/describeConfigForLog.ts';
import { DEFAULT_REDIS_URL } from './options.ts';
import { errorMessage } from '../shared/errorMessage.ts';

const CONNECT_TIMEOUT_MS = 3_000;

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** `--redis-url`, else REDIS_URL, else the local default; a malformed URL is a usage error. */
export function resolveRedisUrl(flag: string | undefined, env: NodeJS.ProcessEnv, usageError: (message: string) => Error): string {
  const url = nonEmpty(flag) ?? nonEmpty(env.REDIS_URL) ?? DEFAULT_REDIS_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`invalid Redis URL ${JSON.stringify(redactUrlPassword(url))}; expected e.g. ${DEFAULT_REDIS_URL}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw usageError(`invalid Redis URL ${JSON.stringify(redactUrlPassword(url))}; it must start with redis:// or rediss://`);
  }
  return url;
}

/** One attempt with a deadline: a CLI must fail fast, not retry forever. */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${redactUrlPassword(url)} (${errorMessage(error)}). Set REDIS_URL or pass --redis-url.`);
  }
}
