import { InstrumentRegistry } from '../../../src/marketdata/instrumentRegistry.ts';
import { parseMarketDataConfig } from '../../../src/marketdata/marketDataConfig.ts';
import { MarketDataEngine } from '../../../src/marketdata/marketDataEngine.ts';
import { createTickBatch, type TickBatch } from '../../../src/marketdata/tickBatch.ts';

export const T0 = Date.UTC(2026, 0, 5, 14, 30);

export interface Tick {
  instrument?: number;
  bid?: number;
  ask?: number;
  last?: number;
  ts?: number;
  received?: number;
}

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public ms = T0) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function makeEngine(overrides: Record<string, unknown> = {}, symbols = ['ES', 'NQ'], clock = new TestClock()): { engine: MarketDataEngine; clock: TestClock } {
  const config = parseMarketDataConfig({ instruments: Object.fromEntries(symbols.map((s) => [s, {}])), ...overrides });
  const engine = new MarketDataEngine({ config, instruments: new InstrumentRegistry(symbols), now: clock.now });
  return { engine, clock };
}

/** One batch from `source`; missing fields are NaN (not given), timestamps default to the clock. */
export function batchOf(source: string, ticks: readonly Tick[], clock?: TestClock): TickBatch {
  const batch = createTickBatch(source, Math.max(1, ticks.length));
  ticks.forEach((tick, j) => {
    batch.instrument[j] = tick.instrument ?? 0;
    batch.bid[j] = tick.bid ?? Number.NaN;
    batch.ask[j] = tick.ask ?? Number.NaN;
    batch.last[j] = tick.last ?? Number.NaN;
    batch.sourceTsMs[j] = tick.ts ?? clock?.ms ?? T0;
    batch.receivedMs[j] = tick.received ?? batch.sourceTsMs[j]!;
  });
  batch.count = ticks.length;
  return batch;
}

export function send(engine: MarketDataEngine, source: string, ticks: readonly Tick[], clock?: TestClock): void {
  engine.ingest(batchOf(source, ticks, clock));
}

/** received == accepted + rejected + held, per source and overall. */
export function captureBalanced(engine: MarketDataEngine): boolean {
  const t = engine.counters.totals();
  return t.received === t.accepted + t.rejected + t.held;
}

export function rejectsOf(engine: MarketDataEngine, source: string, reason: number): number {
  return engine.counters.rejectedBy(engine.sources.slotOf(source), reason);
}
