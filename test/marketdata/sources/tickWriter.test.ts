import { describe, expect, it } from 'vitest';
import { TickWriter } from '../../../src/marketdata/sources/tickWriter.ts';
import type { TickBatch, TickSink } from '../../../src/marketdata/tickBatch.ts';
import { RecordingSink, SymbolList } from './helpers.ts';

const index = new SymbolList(['ES', 'NQ']);

function writer(sink: TickSink, capacity = 8, onError: (error: Error) => void = () => {}) {
  let now = 1_000;
  const w = new TickWriter({ sourceId: 's', sink, instrumentCount: index.size, capacity, now: () => now, onError });
  return { w, tick: (ms: number) => (now = ms) };
}

describe('TickWriter', () => {
  it('joins IB-style bid, ask and last fields for one instrument into one quote', async () => {
    const sink = new RecordingSink(index);
    const { w } = writer(sink);
    w.field(0, 'bid', 99.75, 1);
    w.field(0, 'ask', 100.25, 2);
    w.field(0, 'last', 100, 3);
    w.field(1, 'last', 20_000, 4);
    w.field(1, 'last', 20_000.25, 5); // NQ already has a last: a new quote
    await Promise.resolve();
    expect(sink.ticks).toEqual([
      { source: 's', symbol: 'ES', bid: 99.75, ask: 100.25, last: 100, sourceTsMs: 3 },
      { source: 's', symbol: 'NQ', bid: Number.NaN, ask: Number.NaN, last: 20_000, sourceTsMs: 4 },
      { source: 's', symbol: 'NQ', bid: Number.NaN, ask: Number.NaN, last: 20_000.25, sourceTsMs: 5 },
    ]);
    expect(sink.batches).toBe(1);
    expect(w.takeSample()).toBe(3);
    expect(w.takeSample()).toBe(0);
  });

  it('counts bad ticks with the reason instead of passing them on', async () => {
    const sink = new RecordingSink(index);
    const { w } = writer(sink);
    expect(w.quote(5, 1, 2, 1.5, 0)).toBe(false);
    expect(w.quote(0, Number.NaN, Number.NaN, Number.NaN, 0)).toBe(false);
    expect(w.quote(0, 1, Number.POSITIVE_INFINITY, 1, 0)).toBe(false);
    expect(w.quote(0, 1, 2, 1.5, Number.NaN)).toBe(false);
    expect(w.field(1, 'last', Number.NaN, 0)).toBe(false);
    expect(w.quote(0, Number.NaN, Number.NaN, -37.63, 0)).toBe(true); // negative prices happen (CL, April 2020)
    await Promise.resolve();
    expect(w.rejected).toBe(5);
    expect(w.lastRejection).toBe('last is not a finite number');
    expect(sink.ticks).toHaveLength(1);
    expect(w.accepted).toBe(1);
  });

  it('hands a full batch over at once and the rest in a microtask; lastTickAt is on the source clock', async () => {
    const batches: number[] = [];
    const sink: TickSink = { ingest: (batch: TickBatch) => void batches.push(batch.count), setSourceHealth: () => {} };
    const { w, tick } = writer(sink, 4);
    tick(5_000);
    for (let i = 0; i < 10; i += 1) w.quote(i % 2, Number.NaN, Number.NaN, 100 + i, i);
    expect(batches).toEqual([4, 4]);
    await Promise.resolve();
    expect(batches).toEqual([4, 4, 2]);
    expect(w.lastTickAt).toBe(5_000);
  });

  it('an exception from the sink goes to onError (this source fails), never up the caller', async () => {
    const errors: string[] = [];
    const sink: TickSink = {
      ingest: () => {
        throw new Error('engine bug');
      },
      setSourceHealth: () => {},
    };
    const { w } = writer(sink, 8, (error) => errors.push(error.message));
    expect(() => w.quote(0, 1, 2, 1.5, 0)).not.toThrow();
    await Promise.resolve();
    expect(errors).toEqual(['engine bug']);
    w.quote(0, 1, 2, 1.5, 0);
    w.flush();
    expect(errors).toHaveLength(2);
  });
});
