import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { configErrorOf } from './configFixture.ts';
import { localValidityMs } from '../../src/lease/leaseTiming.ts';

describe('lease and namespace settings', () => {
  it('default to namespace tradewire, a 3 s lease renewed every second', () => {
    const config = loadConfig({ env: {} });
    expect(config.namespace).toBe('tradewire');
    expect(config.lease).toEqual({ ttlMs: 3_000, renewMs: 1_000 });
  });

  it('are read from the environment', () => {
    const config = loadConfig({ env: { TRADEWIRE_NAMESPACE: 'paper-1', TRADEWIRE_LEASE_TTL_MS: '900', TRADEWIRE_LEASE_RENEW_MS: '300', TRADEWIRE_NODE_ID: 'node-a' } });
    expect(config.namespace).toBe('paper-1');
    expect(config.lease).toEqual({ ttlMs: 900, renewMs: 300, nodeId: 'node-a' });
  });

  it('refuse any TTL under twice the renew interval, naming lease.ttlMs; accept every other', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 5_000 }), fc.integer({ min: 100, max: 20_000 }), (renewMs, ttlMs) => {
        const run = () => loadConfig({ env: {}, overrides: { lease: { renewMs, ttlMs } } });
        if (ttlMs >= 2 * renewMs && localValidityMs({ ttlMs, renewMs }) > renewMs) {
          expect(run().lease.ttlMs).toBe(ttlMs);
          return;
        }
        const error = configErrorOf(run);
        expect(error.issues.map((issue) => issue.path)).toEqual(['lease.ttlMs']);
        expect(error.message).toMatch(/lease\.ttlMs: (must be at least 2 x lease\.renewMs|leaves \d+ ms after the drift allowance)/);
      }),
      { numRuns: 60 },
    );
  });

  it('refuse a TTL that leaves no time to renew after the drift allowance (100 ms with renewals every 50 ms)', () => {
    const error = configErrorOf(() => loadConfig({ env: {}, overrides: { lease: { ttlMs: 100, renewMs: 50 } } }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['lease.ttlMs']);
    expect(error.message).toMatch(/leaves 50 ms after the drift allowance, not more than lease\.renewMs \(50 ms\)/);
  });

  it('refuse a namespace that is not one key segment, naming the key and its source', () => {
    for (const bad of ['a:b', 'with space', '{tag}']) {
      const error = configErrorOf(() => loadConfig({ env: { TRADEWIRE_NAMESPACE: bad } }));
      expect(error.issues[0]).toMatchObject({ path: 'namespace', source: 'environment variable TRADEWIRE_NAMESPACE' });
    }
  });
});
