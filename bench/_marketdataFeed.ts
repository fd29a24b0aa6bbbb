/**
 * A synthetic multi-source feed for the market-data benchmarks: per instrument a random walk,
 * each source quoting it with its own small noise and latency, and a small share of garbage
 * (NaN, crossed, negative) so rejection accounting is exercised. Deterministic (seeded PRNG).
 */
import { InstrumentRegistry } from '../src/marketdata/instrumentRegistry.ts';
import { parseMarketDataConfig, type MarketDataConfig } from '../src/marketdata/marketDataConfig.ts';
import type { TickBatch } from '../src/marketdata/tickBatch.ts';
import { SeededRandom } from '../src/shared/seededRandom.ts';

export const BENCH_SOURCES = ['ib', 'replay', 'synthetic-1'] as const;
export const BENCH_INSTRUMENTS = 50;
/** One tick in this many is garbage. */
const GARBAGE_EVERY = 997;

export function benchSymbols(count = BENCH_INSTRUMENTS): string[] {
  return Array.from({ length: count }, (_, i) => `SYM${i}`);
}

export function benchConfig(symbols: readonly string[]): MarketDataConfig {
  return parseMarketDataConfig({
    instruments: Object.fromEntries(symbols.map((symbol) => [symbol, {}])),
    sourceRules: { ib: { weight: 3, timeoutMs: 1_000 }, replay: { weight: 1, timeoutMs: 1_000 }, 'synthetic-1': { weight: 1, timeoutMs: 1_000 } },
    // The benchmark measures the engine, not the event bus or Redis.
    outputs: { eventBus: { enabled: false, flushIntervalMs: 100 } },
  });
}

export function benchRegistry(symbols: readonly string[]): InstrumentRegistry {
  return new InstrumentRegistry(symbols);
}

export class SyntheticFeed {
  private readonly random = new SeededRandom(0x9e3779b9);
  private readonly mid: Float64Array;
  private counter = 0;
  garbageSent = 0;

  constructor(readonly instruments: number) {
    this.mid = Float64Array.from({ length: instruments }, (_, i) => 1_000 + 37 * i);
  }

  /**
   * Appends one tick for `instrument` from the source numbered `sourceNo` to `batch`, arriving
   * at `arrivalMs` (epoch), stamped by the source `latencyMs` earlier.
   */
  push(batch: TickBatch, sourceNo: number, instrument: number, arrivalMs: number, latencyMs: number): void {
    const j = batch.count++;
    if (sourceNo === 0) this.mid[instrument]! += (this.random.next() - 0.5) * 0.5;
    const mid = this.mid[instrument]! + (sourceNo - 1) * 0.01;
    const half = 0.125 + this.random.next() * 0.125;
    batch.instrument[j] = instrument;
    batch.bid[j] = mid - half;
    batch.ask[j] = mid + half;
    batch.last[j] = Number.NaN;
    batch.sourceTsMs[j] = arrivalMs - latencyMs;
    batch.receivedMs[j] = arrivalMs;
    if (++this.counter % GARBAGE_EVERY === 0) {
      this.garbageSent++;
      const kind = this.counter % 3;
      if (kind === 0) batch.bid[j] = Number.NaN, batch.ask[j] = Number.POSITIVE_INFINITY;
      else if (kind === 1) batch.bid[j] = mid + 1;
      else batch.bid[j] = -mid;
    }
  }
}
