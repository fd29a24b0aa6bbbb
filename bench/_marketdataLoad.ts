/**
 * A steady stream of ticks at a fixed rate, in the background of whatever else the process is
 * doing (the orders benchmark measures routing latency while this runs). Ticks fall due on a
 * schedule (tick n at start + n / rate); a setImmediate loop reads every tick that is due, as a
 * socket-fed source reads what the kernel buffered, stamps it `receivedMs` (the TickBatch
 * contract: when tradewire received it) and hands it over, one batch per source.
 *
 * Two latencies per tick: `latency*` from receipt to the moment its instrument's consolidated
 * price reaches a subscriber (what tradewire adds), and `scheduleLag*` from the tick falling due
 * to its receipt (how late the event loop got round to reading it: on a shared machine mostly
 * the OS scheduler).
 */
import { MarketDataEngine } from '../src/marketdata/marketDataEngine.ts';
import { createTickBatch, type TickBatch } from '../src/marketdata/tickBatch.ts';
import { BENCH_SOURCES, benchConfig, benchRegistry, benchSymbols, SyntheticFeed } from './_marketdataFeed.ts';

export interface SteadyTickLoadOptions {
  ratePerSecond: number;
  /** Defaults to a fresh engine over 3 sources x 50 instruments. */
  engine?: MarketDataEngine;
  /** Source -> tradewire latency stamped on the ticks (ms). */
  sourceLatencyMs?: number;
  /** Most ticks handed over in one loop turn, so a stalled loop catches up in bounded batches. */
  maxTicksPerTurn?: number;
}

export interface SteadyTickLoadStats {
  sent: number;
  durationMs: number;
  achievedRatePerSecond: number;
  accepted: number;
  rejected: number;
  held: number;
  /** (accepted + rejected + held) / sent: 1 means every tick is accounted for. */
  captureRatio: number;
  /** Receipt -> consolidated price at a subscriber, over ticks that produced one. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  latencySamples: number;
  /** Falling due -> receipt. */
  scheduleLagP50Ms: number;
  scheduleLagP99Ms: number;
}

export interface SteadyTickLoad {
  readonly engine: MarketDataEngine;
  stop(): Promise<SteadyTickLoadStats>;
}

const MAX_SAMPLES = 4_000_000;

export function startSteadyTickLoad(options: SteadyTickLoadOptions): SteadyTickLoad {
  const symbols = benchSymbols();
  const engine = options.engine ?? new MarketDataEngine({ config: benchConfig(symbols), instruments: benchRegistry(symbols) });
  const instruments = engine.instruments.size;
  const rate = options.ratePerSecond;
  const latencyMs = options.sourceLatencyMs ?? 0.2;
  const maxPerTurn = options.maxTicksPerTurn ?? 8_192;
  const feed = new SyntheticFeed(instruments);
  const batches: TickBatch[] = BENCH_SOURCES.map((source) => createTickBatch(source, maxPerTurn));
  const before = engine.counters.totals();

  // Per instrument: when its price was last published, and in which ingest call.
  const publishedAt = new Float64Array(instruments);
  const publishedIn = new Float64Array(instruments);
  let ingestNo = 0;
  const unsubscribe = engine.subscribe((price) => {
    const index = engine.instruments.indexOf(price.symbol);
    publishedAt[index] = performance.now();
    publishedIn[index] = ingestNo;
  });
  const samples = new Float64Array(MAX_SAMPLES);
  const lags = new Float64Array(MAX_SAMPLES);
  let sampleCount = 0;
  let lagCount = 0;

  const origin = performance.timeOrigin;
  const startedAt = performance.now();
  const msPerTick = 1_000 / rate;
  let sent = 0;
  let nextInstrument = 0;
  let nextSource = 0;
  let running = true;
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));

  const turn = (): void => {
    if (!running) return finished();
    const readAt = performance.now();
    const due = Math.min(maxPerTurn, Math.floor((readAt - startedAt) / msPerTick) - sent);
    if (due > 0) {
      for (const batch of batches) batch.count = 0;
      for (let n = 0; n < due; n++) {
        const dueAt = startedAt + (sent + n) * msPerTick;
        if (lagCount < MAX_SAMPLES) lags[lagCount++] = readAt - dueAt;
        // The source stamped it when it sent it, `latencyMs` before it fell due here.
        feed.push(batches[nextSource]!, nextSource, nextInstrument, origin + readAt, latencyMs + (readAt - dueAt));
        if (++nextSource === batches.length) {
          nextSource = 0;
          if (++nextInstrument === instruments) nextInstrument = 0;
        }
      }
      sent += due;
      for (const batch of batches) {
        if (batch.count === 0) continue;
        ingestNo++;
        engine.ingest(batch);
        for (let j = 0; j < batch.count && sampleCount < MAX_SAMPLES; j++) {
          const inst = batch.instrument[j]!;
          if (publishedIn[inst] === ingestNo) samples[sampleCount++] = publishedAt[inst]! - (batch.receivedMs[j]! - origin);
        }
      }
    }
    setImmediate(turn);
  };
  setImmediate(turn);

  return {
    engine,
    async stop(): Promise<SteadyTickLoadStats> {
      running = false;
      await done;
      unsubscribe();
      const durationMs = performance.now() - startedAt;
      const after = engine.counters.totals();
      const accepted = after.accepted - before.accepted;
      const rejected = after.rejected - before.rejected;
      const held = after.held - before.held;
      const sorted = samples.subarray(0, sampleCount).sort();
      const sortedLags = lags.subarray(0, lagCount).sort();
      const pick = (values: Float64Array, p: number): number => (values.length === 0 ? Number.NaN : values[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)]!);
      const at = (p: number): number => pick(sorted, p);
      return {
        sent,
        durationMs,
        achievedRatePerSecond: (sent / durationMs) * 1_000,
        accepted,
        rejected,
        held,
        captureRatio: sent === 0 ? 1 : (accepted + rejected + held) / sent,
        latencyP50Ms: at(0.5),
        latencyP99Ms: at(0.99),
        latencyMaxMs: sampleCount === 0 ? Number.NaN : sorted[sampleCount - 1]!,
        latencySamples: sampleCount,
        scheduleLagP50Ms: pick(sortedLags, 0.5),
        scheduleLagP99Ms: pick(sortedLags, 0.99),
      };
    },
  };
}
