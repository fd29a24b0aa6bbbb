import { Redis } from 'ioredis';
import { redactUrlPassword } from '../config/describeConfigForLog';

export class RedisUnavailableError extends Error {
  constructor(url: string, cause: string) {
    super(
      [
        `Redis is not reachable at ${redactUrlPassword(url)} (${cause}).`,
        'tradewire needs Redis 7. Start one locally:',
        '  Debian/Ubuntu: sudo apt-get install -y redis-server && sudo service redis-server start',
        '  macOS:         brew install redis && brew services start redis',
        'or point REDIS_URL (or redis.url in the config) at a running server.',
      ].join('\n'),
    );
    this.name = 'RedisUnavailableError';
  }
}

/** One connection attempt with a deadline, so a missing Redis fails the start instead of hanging it. */
export async function assertRedisReachable(url: string, timeoutMs = 3_000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new RedisUnavailableError(url, error instanceof Error ? error.message : String(error));
  } finally {
    client.disconnect();
  }
}
