import { z } from 'zod';
import { RELATIVE_KEY_DEFAULTS } from '../redis/namespaceKeys.ts';
import { formatIssues } from '../shared/zodIssues.ts';

/**
 * The `marketData` block of the runtime config. Like the rest of src/config/schema.ts it has no
 * zod defaults (config/default.json carries them, and the layered loader checks each layer with a
 * deep-partial copy of this schema); `parseMarketDataConfig` fills defaults for standalone use.
 */
export const CONSOLIDATION_METHODS = ['weighted_average', 'median', 'best_price'] as const;
export type ConsolidationMethod = (typeof CONSOLIDATION_METHODS)[number];

const millis = z.number().int().min(0);
/** A Redis key relative to the runtime's namespace (`<namespace>:<key>`). */
const relativeKey = z.string().min(1).regex(/^\S+$/, 'must not contain whitespace');
const sourceId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'source ids are 1-64 of A-Z a-z 0-9 _ . -');
const symbol = z.string().regex(/^[A-Za-z0-9_.:/-]{1,64}$/, 'symbols are 1-64 of A-Z a-z 0-9 _ . : / -');

const sourceSettings = z.strictObject({
  /** Relative trust in this source for `weighted_average`. */
  weight: z.number().positive().max(1_000_000),
  /** A source whose last tick took longer than this to reach us (receivedMs - sourceTsMs) sits out the round. */
  timeoutMs: millis.min(1),
});

/** Everything an instrument can override; `defaults` must give all of it. */
const instrumentRules = {
  method: z.enum(CONSOLIDATION_METHODS),
  /** Some contracts (spreads, crude in April 2020) trade at zero or below. */
  allowNonPositive: z.boolean(),
  /** pysystemtrade's max_price_spike: a change over this many average daily changes is held back. */
  maxPriceSpike: z.number().positive(),
  /** Span (in price changes) of the EWMA of absolute daily changes. */
  spikeEwmaSpan: z.number().int().min(2).max(100_000),
  /** Changes a source must show before its spike filter can flag anything. */
  spikeWarmup: z.number().int().min(1).max(100_000),
  /** With this many live sources or more, a source more than `outlierMads` MADs from the median sits out. */
  outlierMads: z.number().positive(),
  outlierMinSources: z.number().int().min(3).max(64),
  /** The MAD is floored at this many basis points of the median so identical quotes do not make a one-tick difference an outlier. */
  outlierMinMadBps: z.number().min(0),
  /** A source whose last price is older than this (by the engine clock) drops out. */
  maxAgeMs: millis.min(1),
  /** Source timestamps may run this far ahead of our clock before a tick counts as from the future. */
  maxFutureMs: millis,
  /** A latency of this many ms halves a source's weight (weighted_average). */
  latencyHalfWeightMs: z.number().positive(),
  /** Confidence wider than this many basis points of the price raises a `confidence_wide` breach; 0 turns it off. */
  maxConfidenceBps: z.number().min(0),
};

const instrumentOverrides = z.strictObject({
  ...Object.fromEntries(Object.entries(instrumentRules).map(([key, schema]) => [key, schema.optional()])),
  /** Per-source weight/timeout for this instrument only. */
  sourceRules: z.record(sourceId, sourceSettings.partial()).optional(),
}) as z.ZodType<InstrumentOverrides>;

export const marketDataSchema = z.strictObject({
  defaults: z.strictObject(instrumentRules),
  /**
   * Weight and timeout of each source id; a source not listed gets `defaultSourceRules`. (Named
   * apart from `marketData.sources`, the list of source connections.)
   */
  sourceRules: z.record(sourceId, sourceSettings),
  defaultSourceRules: sourceSettings,
  /** The instruments the engine consolidates; ticks for any other symbol are counted and rejected. */
  instruments: z.record(symbol, instrumentOverrides),
  /** Slots reserved per instrument for sources; ticks from further sources are counted under `source_overflow`. */
  maxSources: z.number().int().min(1).max(64),
  /** How often sources that went stale are noticed without a tick arriving. */
  sweepIntervalMs: millis.min(1),
  outputs: z.strictObject({
    /** `market_data.<symbol>` on the event bus, at most once per instrument per interval. */
    eventBus: z.strictObject({ enabled: z.boolean(), flushIntervalMs: millis.min(1) }),
    redis: z.strictObject({
      mode: z.enum(['off', 'stream', 'pubsub']),
      conflateMs: millis.min(1),
      /** Stream key (mode stream) or channel prefix `<key>:<symbol>` (mode pubsub), relative to the namespace. */
      key: relativeKey,
      streamMaxLen: z.number().int().min(1),
    }),
  }),
  rejects: z.strictObject({
    /** Raw rejected ticks kept in memory for review. */
    ringSize: z.number().int().min(16).max(10_000_000),
    /** Relative to the namespace. */
    streamKey: relativeKey,
    streamMaxLen: z.number().int().min(1),
    flushIntervalMs: millis.min(1),
  }),
});

type InstrumentRules = { [K in keyof typeof instrumentRules]: z.infer<(typeof instrumentRules)[K]> };
export type InstrumentSettings = InstrumentRules;
export type SourceSettings = z.infer<typeof sourceSettings>;
export type InstrumentOverrides = Partial<InstrumentRules> & { sourceRules?: Record<string, Partial<SourceSettings>> };
export type MarketDataConfig = z.infer<typeof marketDataSchema>;

export const DEFAULT_MARKET_DATA_CONFIG: MarketDataConfig = {
  defaults: {
    method: 'weighted_average',
    allowNonPositive: false,
    maxPriceSpike: 8,
    spikeEwmaSpan: 100,
    spikeWarmup: 20,
    outlierMads: 5,
    outlierMinSources: 3,
    outlierMinMadBps: 1,
    maxAgeMs: 5_000,
    maxFutureMs: 1_000,
    latencyHalfWeightMs: 100,
    maxConfidenceBps: 50,
  },
  sourceRules: {},
  defaultSourceRules: { weight: 1, timeoutMs: 1_000 },
  instruments: {},
  maxSources: 8,
  sweepIntervalMs: 100,
  outputs: {
    eventBus: { enabled: true, flushIntervalMs: 100 },
    redis: { mode: 'off', conflateMs: 100, key: RELATIVE_KEY_DEFAULTS.marketDataPrices, streamMaxLen: 100_000 },
  },
  rejects: { ringSize: 65_536, streamKey: RELATIVE_KEY_DEFAULTS.marketDataRejects, streamMaxLen: 100_000, flushIntervalMs: 1_000 },
};

export class MarketDataConfigError extends Error {
  override readonly name = 'MarketDataConfigError';
}

/** Deep-merges `input` over the defaults and validates; errors name the offending key, e.g. `marketData.instruments.ES.maxPriceSpike`. */
export function parseMarketDataConfig(input: unknown = {}): MarketDataConfig {
  const merged = mergeOver(DEFAULT_MARKET_DATA_CONFIG, input);
  const result = marketDataSchema.safeParse(merged);
  if (!result.success) {
    const lines = formatIssues(result.error.issues, { style: 'dotted', under: 'marketData' });
    throw new MarketDataConfigError(`invalid market data config:\n  ${lines.join('\n  ')}`);
  }
  return result.data;
}

/** An instrument's rules with its overrides applied. */
export function instrumentSettings(config: MarketDataConfig, symbolName: string): InstrumentSettings {
  const overrides = config.instruments[symbolName] ?? {};
  const { sourceRules: _sourceRules, ...rules } = overrides;
  const defined = Object.fromEntries(Object.entries(rules).filter(([, value]) => value !== undefined));
  return { ...config.defaults, ...defined } as InstrumentSettings;
}

/** A source's weight/timeout for one instrument: instrument override, else `sourceRules`, else `defaultSourceRules`. */
export function sourceSettingsFor(config: MarketDataConfig, symbolName: string, source: string): SourceSettings {
  const base = config.sourceRules[source] ?? config.defaultSourceRules;
  const override = config.instruments[symbolName]?.sourceRules?.[source] ?? {};
  return { weight: override.weight ?? base.weight, timeoutMs: override.timeoutMs ?? base.timeoutMs };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeOver(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = mergeOver(base[key], value);
  return out;
}
