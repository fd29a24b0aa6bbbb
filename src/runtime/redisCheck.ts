import { Redis } from 'ioredis';
import { redactUrlPassword } from '../config/describeConfigForLog.ts';
import { errorMessage } from '../shared/errorMessage.ts';

/** Redis cannot be used: nothing answers at the URL (or, for RedisAuthError, it refused us). */
export class RedisUnavailableError extends Error {
  constructor(url: string, cause: string, message?: string) {
    super(
      message ??
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

/** Redis answered, and refused the credentials: installing or starting Redis is not the fix. */
export class RedisAuthError extends RedisUnavailableError {
  constructor(url: string, cause: string) {
    super(
      url,
      cause,
      `Redis at ${redactUrlPassword(url)} answered, but authentication failed (${cause}). ` +
        'Check the user and password in REDIS_URL (or redis.url in the config): redis://[user]:<password>@host:port.',
    );
    this.name = 'RedisAuthError';
  }
}

// WRONGPASS (bad user or password), NOAUTH (none sent, one required), and the older "invalid password".
const AUTH_REFUSED = /\b(WRONGPASS|NOAUTH)\b|invalid password|invalid username-password/i;

/** One connection attempt with a deadline, so a missing Redis fails the start instead of hanging it. */
export async function assertRedisReachable(url: string, timeoutMs = 3_000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The reply that explains a refusal comes as an 'error' event; connect() then only says the connection closed.
  const seen: string[] = [];
  client.on('error', (error: Error) => seen.push(error.message));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const cause = errorMessage(error);
    const refusal = [cause, ...seen].find((message) => AUTH_REFUSED.test(message));
    if (refusal) throw new RedisAuthError(url, refusal);
    // The socket's own error (ECONNREFUSED, ENOTFOUND, …) says more than "Connection is closed".
    throw new RedisUnavailableError(url, seen.at(-1) ?? cause);
  } finally {
    client.disconnect();
  }
}
