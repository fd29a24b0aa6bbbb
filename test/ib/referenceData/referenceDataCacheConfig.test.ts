import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/index.ts';
import { DEFAULT_REFERENCE_DATA_CACHE_CONFIG, parseReferenceDataCacheConfig } from '../../../src/ib/referenceData/index.ts';

describe('reference data cache configuration', () => {
  it('has defaults for every setting', () => {
    expect(DEFAULT_REFERENCE_DATA_CACHE_CONFIG).toEqual({
      l1MaxEntries: 1000,
      ttlMs: 3_600_000,
      negativeTtlMs: 5000,
      keyPrefix: 'refdata:contractDetails:',
      redisTimeoutMs: 250,
    });
    expect(parseReferenceDataCacheConfig({ ttlMs: undefined })).toEqual(DEFAULT_REFERENCE_DATA_CACHE_CONFIG);
  });

  it.each([
    [{ l1MaxEntries: 0 }, 'ib.referenceData.l1MaxEntries'],
    [{ ttlMs: 'one hour' }, 'ib.referenceData.ttlMs'],
    [{ negativeTtlMs: -5 }, 'ib.referenceData.negativeTtlMs'],
    [{ keyPrefix: 'has space' }, 'ib.referenceData.keyPrefix'],
    [{ ttlMs: 1000, negativeTtlMs: 5000 }, 'ib.referenceData.negativeTtlMs'],
    [{ l1MaxEnties: 10 }, 'ib.referenceData.l1MaxEnties'],
  ])('%j is refused, naming %s', (raw, key) => {
    let thrown: unknown;
    try {
      parseReferenceDataCacheConfig(raw, { keyPath: 'ib.referenceData', source: 'file config/local.json' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues.map((issue) => issue.path)).toEqual([key]);
    expect((thrown as ConfigError).message).toContain('file config/local.json');
  });
});
