import { z } from 'zod';
import { ConfigError } from '../../shared/configError.ts';
import { issuesFromZod } from '../../shared/configLayer.ts';
import { RELATIVE_KEY_DEFAULTS } from '../../redis/namespaceKeys.ts';

const positiveMillis = z.number().int().min(1);

export const referenceDataCacheConfigSchema = z
  .strictObject({
    /** Contracts kept in process memory; a futures universe with its near expiries fits easily. */
    l1MaxEntries: z.number().int().min(1).default(1000),
    /**
     * How long contract details are trusted. They include the trading and liquid hours for the
     * coming days, so a day-long TTL would serve yesterday's session times.
     */
    ttlMs: positiveMillis.default(60 * 60 * 1000),
    /** How long a failed lookup is answered from the cache, so an outage does not become a request storm. */
    negativeTtlMs: positiveMillis.default(5000),
    /** Relative to the namespace: keys are `<namespace>:<keyPrefix><lookup key>`. */
    keyPrefix: z.string().min(1).regex(/^\S+$/, 'must not contain whitespace').default(RELATIVE_KEY_DEFAULTS.referenceDataCache),
    /** A Redis command slower than this is treated as Redis being down; the lookup goes on without it. */
    redisTimeoutMs: positiveMillis.default(250),
  })
  .refine((config) => config.negativeTtlMs <= config.ttlMs, { message: 'must not exceed ttlMs', path: ['negativeTtlMs'] });

export type ReferenceDataCacheConfig = z.infer<typeof referenceDataCacheConfigSchema>;

export const DEFAULT_REFERENCE_DATA_CACHE_CONFIG: ReferenceDataCacheConfig = referenceDataCacheConfigSchema.parse({});

export interface ParseReferenceDataCacheConfigOptions {
  /** Where this block sits in the whole configuration, so errors name the full key. */
  keyPath?: string;
  source?: string;
}

/** Throws ConfigError naming the offending key, e.g. `ib.referenceData.ttlMs`. */
export function parseReferenceDataCacheConfig(raw: unknown, options: ParseReferenceDataCacheConfigOptions = {}): ReferenceDataCacheConfig {
  const keyPath = options.keyPath ?? 'referenceData';
  const source = options.source ?? 'reference data cache configuration';
  const data = (raw ?? {}) as Record<string, unknown>;
  const result = referenceDataCacheConfigSchema.safeParse(data);
  if (result.success) return result.data;
  const issues = issuesFromZod(result.error, { data, sourceOf: () => source });
  throw new ConfigError(issues.map((issue) => ({ ...issue, path: issue.path === '' ? keyPath : `${keyPath}.${issue.path}` })));
}
