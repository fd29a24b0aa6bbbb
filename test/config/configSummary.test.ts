import { afterAll, describe, expect, it } from 'vitest';
import { configSummary, loadConfig } from '../../src/config/index.ts';
import { makeConfigDir } from './configFixture.ts';

const fixture = makeConfigDir();
afterAll(() => fixture.cleanup());
const cwd = fixture.dir;

describe('configSummary', () => {
  it('names the broker and its gateway, the namespace, node, admin address and what is on, with no secret', () => {
    const config = loadConfig({
      env: { TRADEWIRE_ADMIN_TOKEN: 'super-secret-token-0123456789abcdef', REDIS_URL: 'redis://app:hunter2@redis.internal:6380/3', TRADEWIRE_NODE_ID: 'node-a', TRADEWIRE_NAMESPACE: 'desk1' },
      cwd,
    });
    const summary = configSummary(config);
    expect(summary).toEqual({
      broker: config.broker.mode,
      gateway: `${config.broker.sim.host}:${config.broker.sim.port}`,
      namespace: 'desk1',
      nodeId: 'node-a',
      admin: `${config.admin.host}:${config.admin.port}`,
      orders: config.orders.enabled ? 'on' : 'off',
      demo: config.orders.demo.enabled ? 'on' : 'off',
      marketDataSources: config.marketData.sources.length,
    });
    expect(JSON.stringify(summary)).not.toMatch(/hunter2|super-secret/);
    expect(JSON.stringify(summary).length).toBeLessThan(300);
  });

  it('shows the IB gateway when the broker is IB', () => {
    const config = loadConfig({ env: { TRADEWIRE_BROKER: 'ib', TRADEWIRE_IB_HOST: 'gw.internal', TRADEWIRE_IB_PORT: '4002', TRADEWIRE_DEMO: 'false' }, cwd });
    expect(configSummary(config)).toMatchObject({ broker: 'ib', gateway: 'gw.internal:4002' });
  });

  it('log.format defaults to auto and takes TRADEWIRE_LOG_FORMAT; anything else is refused naming the key', () => {
    expect(loadConfig({ env: {}, cwd }).log.format).toBe('auto');
    expect(loadConfig({ env: { TRADEWIRE_LOG_FORMAT: 'pretty' }, cwd }).log.format).toBe('pretty');
    expect(() => loadConfig({ env: { TRADEWIRE_LOG_FORMAT: 'xml' }, cwd })).toThrow(/log\.format/);
  });
});
