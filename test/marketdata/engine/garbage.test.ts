import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TickBatch } from '../../../src/marketdata/tickBatch.ts';
import { captureBalanced, makeEngine, T0 } from './engineKit.ts';

const anyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, -1, 1e308, Number.MIN_VALUE),
  fc.double({ min: 90, max: 110, noNaN: true }),
);
const anyTick = fc.record({
  instrument: fc.oneof(fc.integer({ min: -3, max: 4 }), fc.integer()),
  bid: anyNumber,
  ask: anyNumber,
  last: anyNumber,
  ts: fc.oneof(fc.double(), fc.double({ min: T0 - 10_000, max: T0 + 10_000, noNaN: true })),
  received: fc.oneof(fc.double(), fc.double({ min: T0 - 10_000, max: T0 + 10_000, noNaN: true })),
});
const anyBatch = fc.record({
  source: fc.constantFrom('a', 'b', 'c', 'd'),
  ticks: fc.array(anyTick, { maxLength: 40 }),
  // What the batch claims, which may disagree with its arrays.
  countDelta: fc.integer({ min: -3, max: 3 }),
});

function toBatch(source: string, ticks: Array<{ instrument: number; bid: number; ask: number; last: number; ts: number; received: number }>, countDelta: number): TickBatch {
  return {
    source,
    count: ticks.length + countDelta,
    instrument: Int32Array.from(ticks, (t) => t.instrument),
    bid: Float64Array.from(ticks, (t) => t.bid),
    ask: Float64Array.from(ticks, (t) => t.ask),
    last: Float64Array.from(ticks, (t) => t.last),
    sourceTsMs: Float64Array.from(ticks, (t) => t.ts),
    receivedMs: Float64Array.from(ticks, (t) => t.received),
  };
}

describe('garbage ticks (property)', () => {
  it('never throw, and every tick ends accepted, rejected (counted) or held', () => {
    fc.assert(
      fc.property(fc.array(anyBatch, { minLength: 1, maxLength: 20 }), fc.constantFrom('weighted_average', 'median', 'best_price'), fc.boolean(), (batches, method, allowNonPositive) => {
        const { engine } = makeEngine({ defaults: { method, allowNonPositive }, maxSources: 3 });
        let declared = 0;
        for (const { source, ticks, countDelta } of batches) {
          const batch = toBatch(source, ticks, countDelta);
          declared += Math.max(0, batch.count);
          expect(() => engine.ingest(batch)).not.toThrow();
        }
        const totals = engine.counters.totals();
        expect(totals.received).toBe(declared);
        expect(captureBalanced(engine)).toBe(true);
        for (const symbol of ['ES', 'NQ']) {
          const price = engine.lastPrice(symbol);
          if (!price || price.sourceCount === 0) continue;
          expect(Number.isFinite(price.price)).toBe(true);
          expect(price.confidence).toBeGreaterThanOrEqual(0);
          if (!Number.isNaN(price.bid)) expect(price.bid).toBeLessThanOrEqual(price.ask);
        }
      }),
    );
  });

  it('survives things that are not batches at all, counting them', () => {
    const { engine } = makeEngine();
    for (const junk of [null, undefined, {}, { source: 7 }, { source: 'a', count: 2 }, 'ticks']) {
      expect(() => engine.ingest(junk as unknown as TickBatch)).not.toThrow();
    }
    expect(engine.counters.malformedBatches).toBe(6);
  });
});

describe('best price through the engine (property)', () => {
  it('best bid never exceeds best ask after filtering', () => {
    const quote = fc.tuple(fc.double({ min: 1, max: 1_000, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), quote), { minLength: 1, maxLength: 60 }), (updates) => {
        const { engine } = makeEngine({ defaults: { method: 'best_price' } });
        updates.forEach(([source, [bid, spread]], i) => {
          const ts = T0 + i;
          engine.ingest(toBatch(source, [{ instrument: 0, bid, ask: bid + spread, last: Number.NaN, ts, received: ts }], 0));
          const price = engine.lastPrice('ES');
          if (price && !Number.isNaN(price.bid)) expect(price.bid).toBeLessThanOrEqual(price.ask);
        });
      }),
    );
  });
});
