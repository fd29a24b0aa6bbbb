import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { redactUrl } from '../../src/log/redactUrl.ts';
import { assertRedisReachable, RedisAuthError, RedisUnavailableError } from '../../src/runtime/redisCheck.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.ts';
import { makeConfigDir } from './configFixture.ts';

const fixture = makeConfigDir();
afterAll(() => fixture.cleanup());

/** The ConfigError text for a REDIS_URL, or null when the URL was accepted. */
function configErrorFor(url: string): string | null {
  try {
    loadConfig({ env: { REDIS_URL: url }, cwd: fixture.dir });
    return null;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message;
  }
}

// Passwords with a marker no other part of the URL contains, and the characters that break naive parsers.
const password = fc
  .array(fc.constantFrom(...'abcXYZ0189/?#@:%+!$&*()_-~.'.split('')), { minLength: 1, maxLength: 40 })
  .map((chars) => `Pw${chars.join('')}`);

/** Ways to get a Redis URL wrong, each still carrying a password. */
const malformed = fc.constantFrom(
  (pw: string) => `redis://:${pw}@host:notaport`,
  (pw: string) => `http://app:${pw}@redis.internal:6379`,
  (pw: string) => `redis//:${pw}@host:6379`,
  (pw: string) => `redis:${pw}@host`,
  (pw: string) => `redis://app:${pw}@host:99999/0`,
  (pw: string) => `redis://app:${pw}@[::1:6379`,
  (pw: string) => `redis://app:${pw}@host:6379/0?password=${pw}`.replace('redis://', 'rediss:/'),
  (pw: string) => `${'x'.repeat(80)}redis://:${pw}@host:notaport`,
);

describe('a Redis URL never shows its password', () => {
  it.each([
    ['redis://:hunter2@host:notaport', 'redis://:[redacted]@host:notaport'],
    ['redis//:hunter2@host', '[redacted]@host'],
    ['redis:hunter2@host', 'redis:[redacted]@host'],
    ['redis://app:pa/ss?w#rd@host:6379/1', 'redis://app:[redacted]@host:6379/1'],
    ['redis://host:6379/0?password=hunter2&db=1', 'redis://host:6379/0?password=[redacted]&db=1'],
    ['redis://user@host', 'redis://user@host'],
    ['redis://host:6379/0', 'redis://host:6379/0'],
  ])('redactUrl(%s)', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('a malformed REDIS_URL is reported naming the key and the source, without the password (any password, any malformation)', () => {
    fc.assert(
      fc.property(password, malformed, (pw, build) => {
        const message = configErrorFor(build(pw));
        // A '/' or '@' in the password can make a URL that parses after all (to another host): nothing is reported then.
        fc.pre(message !== null);
        expect(message).toContain('redis.url: must be a redis:// or rediss:// URL');
        expect(message).toContain('environment variable REDIS_URL');
        expect(message).not.toContain(pw);
        expect(message).not.toContain(pw.slice(0, 12));
      }),
      { numRuns: 200 },
    );
  });

  it('redactUrl removes the password of any well-formed URL and keeps host, port and database', () => {
    fc.assert(
      fc.property(password, fc.constantFrom('', 'app', 'default'), fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 15 }), (pw, user, port, db) => {
        const url = `redis://${user}:${encodeURIComponent(pw)}@redis.internal:${port}/${db}`;
        expect(redactUrl(url)).toBe(`redis://${user}:[redacted]@redis.internal:${port}/${db}`);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Redis at start: unreachable is not the same as refused', () => {
  let redis: PrivateRedis;
  const PASSWORD = 'correct-horse-battery';
  beforeAll(async () => {
    redis = await startPrivateRedis({ password: PASSWORD });
  });
  afterAll(() => redis.stop());

  const failureOf = async (url: string) => assertRedisReachable(url).then(() => null, (error: Error) => error);

  it('a wrong password says authentication failed, without the password and without install instructions', async () => {
    const error = await failureOf(`redis://:wrong-Pw-guess@127.0.0.1:${redis.port}`);
    expect(error).toBeInstanceOf(RedisAuthError);
    expect(error!.message).toMatch(/^Redis at redis:\/\/:\[redacted\]@127\.0\.0\.1:\d+ answered, but authentication failed \(WRONGPASS/);
    expect(error!.message).not.toMatch(/install|apt-get|brew/);
    expect(error!.message).not.toContain('wrong-Pw-guess');
  });

  it('a wrong user, and no password where one is required, say the same', async () => {
    expect((await failureOf(`redis://bob:${PASSWORD}@127.0.0.1:${redis.port}`))!.message).toMatch(/authentication failed \(WRONGPASS/);
    const none = await failureOf(`redis://127.0.0.1:${redis.port}`);
    expect(none).toBeInstanceOf(RedisAuthError);
    expect(none!.message).toMatch(/authentication failed \(NOAUTH/);
  });

  it('the right password passes; a server that is not there still gets the install hint', async () => {
    expect(await failureOf(redis.url)).toBeNull();
    const down = await failureOf(`redis://:${PASSWORD}@127.0.0.1:1`);
    expect(down).toBeInstanceOf(RedisUnavailableError);
    expect(down).not.toBeInstanceOf(RedisAuthError);
    expect(down!.message).toMatch(/^Redis is not reachable at redis:\/\/:\[redacted\]@127\.0\.0\.1:1 \(connect ECONNREFUSED 127\.0\.0\.1:1\)/);
    expect(down!.message).toContain('apt-get install -y redis-server');
    expect(down!.message).not.toContain(PASSWORD);
  });
});
