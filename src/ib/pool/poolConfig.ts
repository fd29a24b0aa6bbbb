import { z } from 'zod';
import { ConfigError } from '../../config/configError.ts';
import { issuesFromZod } from '../../config/configLayer.ts';

export const DATA_STRATEGIES = ['round_robin', 'least_busy', 'fastest'] as const;
export type DataStrategy = (typeof DATA_STRATEGIES)[number];

export const poolConfigSchema = z.strictObject({
  strategy: z.enum(DATA_STRATEGIES).default('round_robin'),
  /** Weight of the newest latency sample in the EWMA used by `fastest`. */
  latencyEwmaAlpha: z.number().gt(0).lte(1).default(0.3),
});

export type PoolConfig = z.infer<typeof poolConfigSchema>;

export const DEFAULT_POOL_CONFIG: PoolConfig = poolConfigSchema.parse({});

export interface ParsePoolConfigOptions {
  /** Where this block sits in the whole configuration, so errors name the full key. */
  keyPath?: string;
  /** Where the values came from, e.g. `file config/local.json`. */
  source?: string;
}

/** Throws ConfigError naming the offending key, e.g. `broker.ib.pool.strategy`. */
export function parsePoolConfig(raw: unknown, options: ParsePoolConfigOptions = {}): PoolConfig {
  const keyPath = options.keyPath ?? 'pool';
  const source = options.source ?? 'pool configuration';
  const data = (raw ?? {}) as Record<string, unknown>;
  const result = poolConfigSchema.safeParse(data);
  if (result.success) return result.data;
  const issues = issuesFromZod(result.error, { data, sourceOf: () => source });
  throw new ConfigError(issues.map((issue) => ({ ...issue, path: issue.path === '' ? keyPath : `${keyPath}.${issue.path}` })));
}
