import { z } from 'zod';
import { ConfigError } from '../../shared/configError.ts';
import { issuesFromZod } from '../../shared/configLayer.ts';
import { circuitBreakerConfigSchema, type CircuitBreakerConfig } from '../../machines/circuitBreaker/config.ts';

const millis = z.number().int().min(1);
const probability = z.number().min(0).max(1);
const symbol = z.string().min(1).regex(/^\S+$/, 'must not contain whitespace');

/**
 * Breaker keys without the breaker's own defaults, so a source's defaults (SOURCE_BREAKER_DEFAULTS)
 * apply to whatever the user leaves out.
 */
const breakerOverridesSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(circuitBreakerConfigSchema.shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? field.unwrap() : field).optional()]),
  ),
) as unknown as z.ZodType<Partial<CircuitBreakerConfig>>;

/** Lifecycle settings every source has; see the README's "stale, failed and restarts". */
const common = {
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, - or _ (it becomes a systemId)'),
  instruments: z.array(symbol).min(1, 'list at least one instrument'),
  /** No tick within this and the source is stale (consolidation stops using it). */
  maxAgeMs: millis.default(5_000),
  /** How often activity is checked; stale is noticed at most this late. Defaults to maxAgeMs / 5. */
  checkIntervalMs: millis.optional(),
  /** Stale this long and the source is failed and restarted. */
  failAfterStaleMs: millis.default(60_000),
  /** A start (connect + subscribe) that takes longer counts as a failed call. */
  subscribeTimeoutMs: millis.default(10_000),
  /** While the breaker refuses calls, try to start again this often (without failing). */
  breakerRetryMs: millis.default(5_000),
  /** The source's circuit breaker (resilience4j semantics); `name` defaults to the source id. */
  breaker: breakerOverridesSchema.default({}),
};

/** Fields of an IB contract; whatever is left out is matched by TWS (the symbol defaults to the key). */
const ibContractSchema = z.strictObject({
  symbol: z.string().min(1).optional(),
  secType: z.string().min(1).default('FUT'),
  exchange: z.string().default(''),
  currency: z.string().length(3).default('USD'),
  lastTradeDateOrContractMonth: z.string().regex(/^\d{6}(\d{2})?$/, 'must be YYYYMM or YYYYMMDD').optional(),
  localSymbol: z.string().min(1).optional(),
  tradingClass: z.string().min(1).optional(),
  conId: z.number().int().positive().optional(),
  multiplier: z.union([z.number().positive(), z.string().min(1)]).optional(),
});

export const ibSourceSchema = z.strictObject({
  kind: z.literal('ib'),
  ...common,
  /** systemId of the IB connection to use. */
  connection: z.string().min(1).default('ib'),
  /** Per-symbol contract overrides; without one a symbol is requested as a USD future. */
  contracts: z.record(z.string(), ibContractSchema).default({}),
  genericTicks: z.string().default(''),
  /** 1 live, 2 frozen, 3 delayed, 4 delayed-frozen; left out, IB's default (live). */
  marketDataType: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
});

export const replaySourceSchema = z.strictObject({
  kind: z.literal('replay'),
  ...common,
  /** CSV file (see the README for the format); relative paths are from the working directory. */
  file: z.string().min(1),
  /** 1 is real time, 60 is a minute per second, `max` as fast as possible. */
  speed: z.union([z.number().gt(0, 'must be above 0'), z.literal('max')]).default('max'),
  loop: z.boolean().default(false),
  /** For single-instrument files without a symbol column (e.g. pysystemtrade's DATETIME,price). */
  symbol: symbol.optional(),
  /** `replayTime`: ticks are stamped when replayed; `original`: with the file's timestamps. */
  timestamps: z.enum(['replayTime', 'original']).default('replayTime'),
});

export const syntheticSourceSchema = z.strictObject({
  kind: z.literal('synthetic'),
  ...common,
  seed: z.number().int().default(1),
  /** Annualised drift (mu) and volatility (sigma) of the geometric Brownian motion. */
  drift: z.number().default(0),
  volatility: z.number().min(0).default(0.2),
  tickIntervalMs: millis.default(250),
  /** First price per symbol; others start at 100. */
  startPrices: z.record(z.string(), z.number().positive()).default({}),
  /** Quoted spread around the price, in basis points. */
  spreadBps: z.number().min(0).default(2),
  /** Per tick, with `probability`, the price jumps by exp(N(0, sizeSigma)). */
  jumps: z.strictObject({ probability, sizeSigma: z.number().gt(0) }).optional(),
  /** Per tick, with `probability`, the feed skips between 1 and `maxTicks` ticks (a hole in the data). */
  gaps: z.strictObject({ probability, maxTicks: z.number().int().min(1) }).optional(),
  /** Every `everyMs` the feed goes silent for `forMs` (exercises stale and failed). */
  outages: z
    .strictObject({ everyMs: millis, forMs: millis })
    .refine((o) => o.forMs < o.everyMs, { message: 'forMs must be shorter than everyMs', path: ['forMs'] })
    .optional(),
});

export const customSourceSchema = z.strictObject({
  kind: z.literal('custom'),
  ...common,
  /** Path of the adapter module (relative to the working directory), or a package name. */
  module: z.string().min(1),
  /** Handed to the adapter as `setup.options`; the adapter validates it. */
  options: z.record(z.string(), z.unknown()).default({}),
});

export const sourceConfigSchema = z.discriminatedUnion('kind', [ibSourceSchema, replaySourceSchema, syntheticSourceSchema, customSourceSchema]);

export const sourceConfigsSchema = z.array(sourceConfigSchema).superRefine((sources, ctx) => {
  const seen = new Set<string>();
  sources.forEach((source, i) => {
    if (seen.has(source.id)) ctx.addIssue({ code: 'custom', message: `duplicate source id '${source.id}'`, path: [i, 'id'] });
    seen.add(source.id);
  });
});

export type SourceConfig = z.output<typeof sourceConfigSchema>;
export type SourceConfigInput = z.input<typeof sourceConfigSchema>;
export type IbSourceConfig = z.output<typeof ibSourceSchema>;
export type ReplaySourceConfig = z.output<typeof replaySourceSchema>;
export type SyntheticSourceConfig = z.output<typeof syntheticSourceSchema>;
export type CustomSourceConfig = z.output<typeof customSourceSchema>;

/** The check interval actually used: configured, or a fifth of maxAgeMs (at least 1 ms). */
export function checkIntervalOf(config: SourceConfig): number {
  return config.checkIntervalMs ?? Math.max(1, Math.floor(config.maxAgeMs / 5));
}

/**
 * Validates `marketData.sources`; a bad value throws a ConfigError naming its key, e.g.
 * `marketData.sources.1.speed: must be above 0; got -2`.
 */
export function parseSourceConfigs(input: unknown, at = 'marketData.sources', from = 'configuration'): SourceConfig[] {
  const result = sourceConfigsSchema.safeParse(input);
  if (result.success) return result.data;
  // issuesFromZod quotes the offending value by walking `data` along each issue's path.
  const issues = issuesFromZod(result.error, { data: (input ?? {}) as Record<string, unknown>, sourceOf: () => from });
  throw new ConfigError(issues.map((issue) => ({ ...issue, path: issue.path === '' ? at : `${at}.${issue.path}` })));
}
