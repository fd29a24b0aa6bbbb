import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { configErrorOf } from './configFixture';

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
    const error = configErrorOf(() => loadConfig({ env: { TRADEWIRE_TESTING_BROKER_EVENTS: '1', TRADEWIRE_BROKER: 'ib' } }));
    expect(error.issues).toEqual([
      {
        path: 'testing.brokerEventInjection',
        problem: 'must be false with broker.mode ib: broker-origin events may only be injected against the simulator (broker.mode sim); got true',
        source: 'environment variable TRADEWIRE_TESTING_BROKER_EVENTS',
      },
    ]);
  });

  it('is refused however the two are set (here: command-line overrides)', () => {
    const error = configErrorOf(() => loadConfig({ env: {}, overrides: { broker: { mode: 'ib' }, testing: { brokerEventInjection: true } } }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['testing.brokerEventInjection']);
    expect(error.message).toMatch(/testing\.brokerEventInjection: must be false with broker\.mode ib/);
  });
});
