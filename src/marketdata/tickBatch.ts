/**
 * The hot-path unit of market data: a batch of ticks from one source in parallel typed arrays,
 * so moving a tick allocates nothing. Sources fill a batch they own and hand it to a
 * `TickSink`; the sink reads entries `0 .. count-1` synchronously and never keeps the batch,
 * so the source may refill it as soon as `ingest` returns.
 */
export interface TickBatch {
  /** The source's id (e.g. `ib`, `replay`, `synthetic-1`). */
  source: string;
  /** Entries `0 .. count-1` are valid; the arrays may be longer. */
  count: number;
  /** Index of the instrument in the engine's InstrumentRegistry. */
  instrument: Int32Array;
  /** NaN where the source did not give the field. */
  bid: Float64Array;
  ask: Float64Array;
  last: Float64Array;
  /** The source's own timestamp of the price, epoch ms (UTC). */
  sourceTsMs: Float64Array;
  /** When tradewire received it, epoch ms (UTC, fractional allowed); latency = receivedMs - sourceTsMs. */
  receivedMs: Float64Array;
}

/** What a source's lifecycle actor tells the engine; only `streaming` sources take part in consolidation. */
export type SourceHealth = 'subscribing' | 'streaming' | 'stale' | 'failed' | 'stopped';

export interface TickSink {
  ingest(batch: TickBatch): void;
  setSourceHealth(source: string, health: SourceHealth): void;
}

/** Symbol <-> dense index, so ticks carry an Int32 instead of a string. */
export interface InstrumentIndex {
  /** -1 when the symbol is not configured. */
  indexOf(symbol: string): number;
  symbolOf(index: number): string;
  readonly size: number;
}

export function createTickBatch(source: string, capacity: number): TickBatch {
  return {
    source,
    count: 0,
    instrument: new Int32Array(capacity),
    bid: new Float64Array(capacity),
    ask: new Float64Array(capacity),
    last: new Float64Array(capacity),
    sourceTsMs: new Float64Array(capacity),
    receivedMs: new Float64Array(capacity),
  };
}
