import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type Config } from '../../src/config/index.ts';
import { makeConfigDir } from './configFixture.ts';

// A private copy of the defaults, so a developer's config/local.json cannot change the outcome.
const fixture = makeConfigDir();
afterAll(() => fixture.cleanup());

const load = (env: NodeJS.ProcessEnv): Config => loadConfig({ env, cwd: fixture.dir });

describe('environment variables', () => {
  const cases: [string, string, (config: Config) => unknown, unknown][] = [
    ['TRADEWIRE_ADMIN_PORT', '0', (c) => c.admin.port, 0],
    ['TRADEWIRE_ADMIN_PORT', '65535', (c) => c.admin.port, 65535],
    ['TRADEWIRE_ADMIN_HOST', '0.0.0.0', (c) => c.admin.host, '0.0.0.0'],
    ['TRADEWIRE_ADMIN_TOKEN', 'abc123', (c) => c.admin.token, 'abc123'],
    ['REDIS_URL', 'rediss://:pw@redis.example:6380/2', (c) => c.redis.url, 'rediss://:pw@redis.example:6380/2'],
    ['TRADEWIRE_LOG_LEVEL', 'debug', (c) => c.log.level, 'debug'],
    ['TRADEWIRE_LOG_FORMAT', 'pretty', (c) => c.log.format, 'pretty'],
    ['TRADEWIRE_INSPECT', 'true', (c) => c.inspect.enabled, true],
    ['TRADEWIRE_INSPECT', 'FALSE', (c) => c.inspect.enabled, false],
    ['TRADEWIRE_INSPECT_PORT', '9000', (c) => c.inspect.port, 9000],
    ['TRADEWIRE_SHUTDOWN_TIMEOUT_MS', '2500', (c) => c.shutdownTimeoutMs, 2500],
    ['TRADEWIRE_BROKER', 'ib', (c) => c.broker.mode, 'ib'],
    ['TRADEWIRE_IB_HOST', 'gateway.local', (c) => c.broker.ib.host, 'gateway.local'],
    ['TRADEWIRE_IB_PORT', '7497', (c) => c.broker.ib.port, 7497],
    ['TRADEWIRE_IB_CLIENT_ID', '42', (c) => c.broker.ib.clientId, 42],
    ['TRADEWIRE_SIM_CLOCK', '2026-12-07T15:00:00Z', (c) => c.broker.sim.clock, '2026-12-07T15:00:00Z'],
    ['TRADEWIRE_SIM_CLOCK', '2026-12-07T09:00:00-06:00', (c) => c.broker.sim.clock, '2026-12-07T09:00:00-06:00'],
  ];

  it.each(cases)('%s=%s is applied', (name, value, read, expected) => {
    // The demo strategy runs only against the simulator: a broker-mode case turns it off.
    expect(read(load({ TRADEWIRE_DEMO: '0', [name]: value }))).toEqual(expected);
  });

  it('TRADEWIRE_DEMO turns the demo strategy off or on', () => {
    expect(load({ TRADEWIRE_DEMO: 'false' }).orders.demo.enabled).toBe(false);
    expect(load({ TRADEWIRE_DEMO: '1' }).orders.demo.enabled).toBe(true);
  });

  const invalid: [string, string, string][] = [
    ['TRADEWIRE_ADMIN_PORT', '65536', 'admin.port'],
    ['TRADEWIRE_ADMIN_PORT', '80.5', 'admin.port'],
    ['TRADEWIRE_ADMIN_HOST', 'two words', 'admin.host'],
    ['REDIS_URL', 'http://127.0.0.1:6379', 'redis.url'],
    ['REDIS_URL', 'not a url', 'redis.url'],
    ['TRADEWIRE_LOG_LEVEL', 'loud', 'log.level'],
    ['TRADEWIRE_INSPECT', 'yes please', 'inspect.enabled'],
    ['TRADEWIRE_INSPECT_PORT', '-1', 'inspect.port'],
    ['TRADEWIRE_SHUTDOWN_TIMEOUT_MS', '0', 'shutdownTimeoutMs'],
    ['TRADEWIRE_BROKER', 'paper', 'broker.mode'],
    ['TRADEWIRE_IB_PORT', '0', 'broker.ib.port'],
    ['TRADEWIRE_IB_CLIENT_ID', 'one', 'broker.ib.clientId'],
    // A zone-less time is ambiguous (whose 09:00?); a date alone is not an instant.
    ['TRADEWIRE_SIM_CLOCK', '2026-12-07T15:00:00', 'broker.sim.clock'],
    ['TRADEWIRE_SIM_CLOCK', '2026-12-07', 'broker.sim.clock'],
    ['TRADEWIRE_SIM_CLOCK', 'next monday', 'broker.sim.clock'],
  ];

  it.each(invalid)('%s=%s is rejected naming %s and the variable', (name, value, keyPath) => {
    let caught: unknown;
    try {
      load({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const issue = (caught as ConfigError).issues[0];
    expect(issue?.path).toBe(keyPath);
    expect(issue?.source).toBe(`environment variable ${name}`);
    expect((caught as Error).message).toContain(keyPath);
  });

  it('ignores environment variables it does not know', () => {
    expect(load({ TRADEWIRE_ADMIN_PROT: '1' }).admin.port).toBe(7400);
  });
});

describe('TRADEWIRE_ADMIN_TOKEN', () => {
  it('rejects a token that could not be sent in a Bearer header, without echoing it', () => {
    let caught: unknown;
    try {
      loadConfig({ env: { TRADEWIRE_ADMIN_TOKEN: 'has a space' }, cwd: fixture.dir });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues[0]?.path).toBe('admin.token');
    expect((caught as Error).message).not.toContain('has a space');
  });
});
