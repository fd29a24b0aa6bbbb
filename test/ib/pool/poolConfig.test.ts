import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/index.ts';
import { DATA_STRATEGIES, DEFAULT_POOL_CONFIG, parsePoolConfig } from '../../../src/ib/pool/index.ts';

describe('pool configuration', () => {
  it('defaults to round robin with an EWMA weight of 0.3', () => {
    expect(parsePoolConfig(undefined)).toEqual({ strategy: 'round_robin', latencyEwmaAlpha: 0.3 });
    expect(DEFAULT_POOL_CONFIG).toEqual({ strategy: 'round_robin', latencyEwmaAlpha: 0.3 });
  });

  it.each(DATA_STRATEGIES)('accepts %s', (strategy) => {
    expect(parsePoolConfig({ strategy }).strategy).toBe(strategy);
  });

  it('names the full key, the problem, the value and the source of a bad strategy', () => {
    const parse = () => parsePoolConfig({ strategy: 'random' }, { keyPath: 'broker.ib.pool', source: 'file config/local.json' });
    expect(parse).toThrow(ConfigError);
    try {
      parse();
    } catch (error) {
      const { issues, message } = error as ConfigError;
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ path: 'broker.ib.pool.strategy', source: 'file config/local.json' });
      expect(issues[0]!.problem).toContain('"random"');
      expect(message).toContain('broker.ib.pool.strategy');
      expect(message).toContain('round_robin');
    }
  });

  it('names an unknown key so a misspelling is not silently ignored', () => {
    expect(() => parsePoolConfig({ stratgey: 'fastest' })).toThrow(/pool\.stratgey: unknown key/);
  });

  it('rejects an EWMA weight outside (0, 1] by key', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ max: 0, noNaN: true }), fc.double({ min: 1, minExcluded: true, noNaN: true })), (alpha) => {
        expect(() => parsePoolConfig({ latencyEwmaAlpha: alpha })).toThrow(/pool\.latencyEwmaAlpha/);
      }),
    );
  });
});
