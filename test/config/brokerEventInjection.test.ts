import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { configErrorOf } from './configFixture.ts';

describe('testing.brokerEventInjection', () => {
  it('is off by default', () => {
    expect(loadConfig({ env: {} }).testing.brokerEventInjection).toBe(false);
  });

  it('may be turned on against the simulator', () => {
    const config = loadConfig({ env: { TRADEWIRE_TESTING_BROKER_EVENTS: '1' } });
    expect(config.broker.mode).toBe('sim');
    expect(config.testing.brokerEventInjection).toBe(true);
  });

  it('is refused with broker mode ib, naming the key and where the flag came from', () => {
    const error = configErrorOf(() => loadConfig({ env: { TRADEWIRE_TESTING_BROKER_EVENTS: '1', TRADEWIRE_BROKER: 'ib', TRADEWIRE_DEMO: '0' } }));
    expect(error.issues).toEqual([
      {
        path: 'testing.brokerEventInjection',
        problem: 'must be false with broker.mode ib: broker-origin events may only be injected against the simulator (broker.mode sim); got true',
        source: 'environment variable TRADEWIRE_TESTING_BROKER_EVENTS',
      },
    ]);
  });

  it('is refused however the two are set (here: command-line overrides)', () => {
    const error = configErrorOf(() => loadConfig({ env: {}, overrides: { broker: { mode: 'ib' }, orders: { demo: { enabled: false } }, testing: { brokerEventInjection: true } } }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['testing.brokerEventInjection']);
    expect(error.message).toMatch(/testing\.brokerEventInjection: must be false with broker\.mode ib/);
  });
});

describe('the demo strategy runs only against the simulator', () => {
  it('is refused with broker mode ib, naming orders.demo.enabled and where it was set', () => {
    const error = configErrorOf(() => loadConfig({ env: { TRADEWIRE_BROKER: 'ib' } }));
    expect(error.issues).toEqual([expect.objectContaining({ path: 'orders.demo.enabled', problem: expect.stringMatching(/must be false with broker.mode ib/) })]);
    expect(error.message).toContain('orders.demo.enabled');
  });

  it('runs in sim mode, and ib mode starts with it off', () => {
    expect(loadConfig({ env: {} }).orders.demo.enabled).toBe(true);
    expect(loadConfig({ env: { TRADEWIRE_BROKER: 'ib', TRADEWIRE_DEMO: '0' } }).broker.mode).toBe('ib');
  });
});
