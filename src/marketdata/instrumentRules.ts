import { CONSOLIDATION_METHODS, instrumentSettings, sourceSettingsFor, type MarketDataConfig } from './marketDataConfig.ts';
import { ewmaAlpha } from './spikeFilter.ts';
import type { InstrumentRegistry } from './instrumentRegistry.ts';

export const METHOD_WEIGHTED_AVERAGE = 0;
export const METHOD_MEDIAN = 1;
export const METHOD_BEST_PRICE = 2;

/**
 * The config resolved once into typed arrays indexed by instrument (and by
 * `instrument * maxSources + source` for per-source settings), so the hot path reads numbers,
 * not nested objects.
 */
export class InstrumentRules {
  readonly method: Uint8Array;
  readonly allowNonPositive: Uint8Array;
  readonly maxPriceSpike: Float64Array;
  readonly spikeAlpha: Float64Array;
  readonly spikeWarmup: Int32Array;
  readonly outlierMads: Float64Array;
  readonly outlierMinSources: Int32Array;
  readonly outlierMinMadBps: Float64Array;
  readonly maxAgeMs: Float64Array;
  readonly maxFutureMs: Float64Array;
  readonly latencyHalfWeightMs: Float64Array;
  readonly maxConfidenceBps: Float64Array;
  /** Per slot. */
  readonly weight: Float64Array;
  readonly timeoutMs: Float64Array;

  constructor(private readonly config: MarketDataConfig, private readonly instruments: InstrumentRegistry, readonly maxSources: number) {
    const n = instruments.size;
    this.method = new Uint8Array(n);
    this.allowNonPositive = new Uint8Array(n);
    this.maxPriceSpike = new Float64Array(n);
    this.spikeAlpha = new Float64Array(n);
    this.spikeWarmup = new Int32Array(n);
    this.outlierMads = new Float64Array(n);
    this.outlierMinSources = new Int32Array(n);
    this.outlierMinMadBps = new Float64Array(n);
    this.maxAgeMs = new Float64Array(n);
    this.maxFutureMs = new Float64Array(n);
    this.latencyHalfWeightMs = new Float64Array(n);
    this.maxConfidenceBps = new Float64Array(n);
    this.weight = new Float64Array(n * maxSources);
    this.timeoutMs = new Float64Array(n * maxSources);
    for (let i = 0; i < n; i++) {
      const rules = instrumentSettings(config, instruments.symbolOf(i));
      this.method[i] = CONSOLIDATION_METHODS.indexOf(rules.method);
      this.allowNonPositive[i] = rules.allowNonPositive ? 1 : 0;
      this.maxPriceSpike[i] = rules.maxPriceSpike;
      this.spikeAlpha[i] = ewmaAlpha(rules.spikeEwmaSpan);
      this.spikeWarmup[i] = rules.spikeWarmup;
      this.outlierMads[i] = rules.outlierMads;
      this.outlierMinSources[i] = rules.outlierMinSources;
      this.outlierMinMadBps[i] = rules.outlierMinMadBps;
      this.maxAgeMs[i] = rules.maxAgeMs;
      this.maxFutureMs[i] = rules.maxFutureMs;
      this.latencyHalfWeightMs[i] = rules.latencyHalfWeightMs;
      this.maxConfidenceBps[i] = rules.maxConfidenceBps;
    }
  }

  /** Fills a newly registered source's column. */
  addSource(slot: number, id: string): void {
    for (let i = 0; i < this.instruments.size; i++) {
      const settings = sourceSettingsFor(this.config, this.instruments.symbolOf(i), id);
      this.weight[i * this.maxSources + slot] = settings.weight;
      this.timeoutMs[i * this.maxSources + slot] = settings.timeoutMs;
    }
  }
}
