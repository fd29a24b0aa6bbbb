import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { configErrorOf, makeConfigDir } from './configFixture.ts';

let fixture: ReturnType<typeof makeConfigDir>;
beforeEach(() => {
  fixture = makeConfigDir();
});
afterEach(() => fixture.cleanup());

describe('loadConfig defaults', () => {
  it('loads the shipped defaults when nothing else is set', () => {
    const config = loadConfig({ env: {}, cwd: fixture.dir });
    expect(config.admin).toEqual({ host: '127.0.0.1', port: 7400, session: { ttlMs: 43_200_000, secureCookie: false } });
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.shutdownTimeoutMs).toBe(10000);
    expect(config.inspect.port).toBe(7401);
    expect(config.broker).toMatchObject({
      mode: 'sim',
      ib: { host: '127.0.0.1', port: 4002, clientId: 1, backupGateways: [], extraClientIds: [] },
      sim: { host: '127.0.0.1', port: 0 },
      connection: { heartbeatIntervalMs: 5000, heartbeatTimeoutMs: 3000, pacing: { enabled: true, ratePerSecond: 45, burst: 5 } },
    });
  });

  it('finds config/default.json in the package root when no cwd is given', () => {
    // Only that it is found: a developer's own config/local.json may change any value.
    expect(loadConfig({ env: {} }).redis.url).toMatch(/^rediss?:\/\//);
  });

  it('accepts config/production.example.json as a TRADEWIRE_CONFIG file', () => {
    const example = fileURLToPath(new URL('../../config/production.example.json', import.meta.url));
    const config = loadConfig({ env: { TRADEWIRE_CONFIG: example }, cwd: fixture.dir });
    expect(config.broker.mode).toBe('ib');
    expect(config.inspect.enabled).toBe(false);
  });
});

describe('loadConfig precedence', () => {
  it('applies default < local < TRADEWIRE_CONFIG < env < overrides', () => {
    fixture.write('config/local.json', {
      admin: { port: 1001, host: 'local-host' },
      log: { level: 'debug' },
      broker: { ib: { clientId: 11 } },
      shutdownTimeoutMs: 1111,
    });
    const named = fixture.write('named.json', { admin: { port: 2002 }, log: { level: 'warn' }, broker: { ib: { clientId: 22 } } });
    const env = { TRADEWIRE_CONFIG: named, TRADEWIRE_ADMIN_PORT: '3003', TRADEWIRE_LOG_LEVEL: 'error' };
    const config = loadConfig({ env, cwd: fixture.dir, overrides: { admin: { port: 4004 } } });

    expect(config.admin.port).toBe(4004); // overrides beat env
    expect(config.log.level).toBe('error'); // env beats named file
    expect(config.broker.ib.clientId).toBe(22); // named file beats local
    expect(config.admin.host).toBe('local-host'); // local beats default
    expect(config.shutdownTimeoutMs).toBe(1111);
    expect(config.broker.ib.port).toBe(4002); // untouched default survives deep merges
  });

  it('ignores undefined override values, as unset CLI flags produce', () => {
    const config = loadConfig({ env: { TRADEWIRE_ADMIN_PORT: '5005' }, cwd: fixture.dir, overrides: { admin: { port: undefined } } });
    expect(config.admin.port).toBe(5005);
  });

  it('treats empty-string environment variables as unset', () => {
    const env = { TRADEWIRE_ADMIN_PORT: '', TRADEWIRE_CONFIG: '', TRADEWIRE_ADMIN_TOKEN: '', REDIS_URL: '' };
    const config = loadConfig({ env, cwd: fixture.dir });
    expect(config.admin.port).toBe(7400);
    expect(config.admin.token).toBeUndefined();
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
  });
});

describe('loadConfig errors', () => {
  it('rejects unknown keys in a file, naming the key and the file', () => {
    const file = fixture.write('config/local.json', { admin: { prot: 1 } });
    const error = configErrorOf(() => loadConfig({ env: {}, cwd: fixture.dir }));
    expect(error.message).toContain('admin.prot');
    expect(error.message).toContain('unknown key');
    expect(error.message).toContain(file);
  });

  it('rejects unknown top-level keys', () => {
    fixture.write('config/local.json', { redisUrl: 'redis://x' });
    expect(configErrorOf(() => loadConfig({ env: {}, cwd: fixture.dir })).issues).toEqual([
      expect.objectContaining({ path: 'redisUrl', problem: expect.stringContaining('unknown key') }),
    ]);
  });

  it('reports a bad value in a lower layer even when a higher layer overrides it', () => {
    fixture.write('config/local.json', { admin: { port: 'seven' } });
    const error = configErrorOf(() => loadConfig({ env: { TRADEWIRE_ADMIN_PORT: '7400' }, cwd: fixture.dir }));
    expect(error.issues[0]).toMatchObject({ path: 'admin.port', source: expect.stringContaining('local.json') });
  });

  it('names the file when it holds invalid JSON', () => {
    const file = fixture.write('config/local.json', '{ "admin": ');
    const error = configErrorOf(() => loadConfig({ env: {}, cwd: fixture.dir }));
    expect(error.message).toContain(file);
    expect(error.message).toContain('invalid JSON');
  });

  it('rejects a file whose top level is not an object', () => {
    fixture.write('config/local.json', '[1,2]');
    expect(configErrorOf(() => loadConfig({ env: {}, cwd: fixture.dir })).message).toContain('must be a JSON object');
  });

  it('requires the TRADEWIRE_CONFIG file to exist', () => {
    const missing = `${fixture.dir}/does-not-exist.json`;
    const error = configErrorOf(() => loadConfig({ env: { TRADEWIRE_CONFIG: missing }, cwd: fixture.dir }));
    expect(error.message).toContain(missing);
    expect(error.message).toContain('TRADEWIRE_CONFIG');
  });

  it('requires config/default.json', () => {
    fixture.cleanup();
    expect(configErrorOf(() => loadConfig({ env: {}, cwd: fixture.dir })).message).toContain('default.json');
  });

  it('names a key that default.json lacks', () => {
    fixture.write('config/default.json', { admin: { host: '127.0.0.1' } });
    const error = configErrorOf(() => loadConfig({ env: {}, cwd: fixture.dir }));
    expect(error.issues.map((issue) => issue.path)).toContain('admin.port');
  });

  it('rejects a backoff whose minimum exceeds its maximum', () => {
    const error = configErrorOf(() =>
      loadConfig({ env: {}, cwd: fixture.dir, overrides: { supervision: { backoff: { minMs: 5000, maxMs: 10 } } } }),
    );
    expect(error.issues[0]).toMatchObject({ path: 'supervision.backoff.maxMs', source: 'command-line overrides' });
  });

  it('rejects jitter outside 0..1 from a file', () => {
    fixture.write('config/local.json', { supervision: { backoff: { jitter: 1.5 } } });
    expect(configErrorOf(() => loadConfig({ env: {}, cwd: fixture.dir })).issues[0]?.path).toBe('supervision.backoff.jitter');
  });

  it('collects every problem instead of stopping at the first', () => {
    const env = { TRADEWIRE_ADMIN_PORT: 'x', TRADEWIRE_INSPECT: 'perhaps' };
    const paths = configErrorOf(() => loadConfig({ env, cwd: fixture.dir })).issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['admin.port', 'inspect.enabled']));
  });

  it('never echoes a rejected token value', () => {
    fixture.write('config/local.json', { admin: { token: 12345678 } });
    const error = configErrorOf(() => loadConfig({ env: {}, cwd: fixture.dir }));
    expect(error.message).toContain('admin.token');
    expect(error.message).not.toContain('12345678');
  });
});
