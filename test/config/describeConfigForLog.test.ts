import { afterAll, describe, expect, it } from 'vitest';
import { describeConfigForLog, loadConfig } from '../../src/config/index.ts';
import { redactUrlPassword } from '../../src/config/describeConfigForLog.ts';
import { makeConfigDir } from './configFixture.ts';

const fixture = makeConfigDir();
afterAll(() => fixture.cleanup());
const cwd = fixture.dir;

describe('describeConfigForLog', () => {
  it('redacts the admin token and leaves the original untouched', () => {
    const config = loadConfig({ env: { TRADEWIRE_ADMIN_TOKEN: 'super-secret-token' }, cwd });
    const safe = describeConfigForLog(config);
    expect(safe.admin.token).toBe('[redacted]');
    expect(JSON.stringify(safe)).not.toContain('super-secret-token');
    expect(config.admin.token).toBe('super-secret-token');
  });

  it('leaves an unset token unset', () => {
    expect(describeConfigForLog(loadConfig({ env: {}, cwd })).admin.token).toBeUndefined();
  });

  it('replaces the password inside redis.url, keeping the rest', () => {
    const safe = describeConfigForLog(loadConfig({ env: { REDIS_URL: 'redis://app:hunter2@redis.internal:6380/3' }, cwd }));
    expect(safe.redis.url).toBe('redis://app:[redacted]@redis.internal:6380/3');
  });

  it.each([
    ['redis://:only-password@host:6379', 'redis://:[redacted]@host:6379'],
    ['rediss://user:p@ss@host', 'rediss://user:[redacted]@host'],
    ['redis://host:6379/0', 'redis://host:6379/0'],
    ['redis://user@host', 'redis://user@host'],
  ])('redactUrlPassword(%s)', (input, expected) => {
    expect(redactUrlPassword(input)).toBe(expected);
  });
});
