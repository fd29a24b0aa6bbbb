import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MarketDataBreach } from '../../../src/marketdata/breaches.ts';
import type { ConsolidatedPrice } from '../../../src/marketdata/consolidatedPrices.ts';
import { Exclusion } from '../../../src/marketdata/rejectReasons.ts';
import { makeEngine, send, TestClock, T0 } from './engineKit.ts';

describe('consolidation across sources', () => {
  it('weights sources by their weight and latency', () => {
    const { engine, clock } = makeEngine({ sourceRules: { a: { weight: 3, timeoutMs: 1_000 }, b: { weight: 1, timeoutMs: 1_000 } }, defaults: { latencyHalfWeightMs: 100 } });
    send(engine, 'a', [{ last: 100, ts: T0 - 1_000 }], clock);
    send(engine, 'b', [{ last: 104 }], clock);
    expect(engine.lastPrice('ES')).toMatchObject({ price: 101, sourceCount: 2, method: 'weighted_average' });
    clock.advance(1);
    // a's tick took 300 ms to reach us: its weight 3 becomes 3 * 100 / (100 + 300) = 0.75.
    send(engine, 'a', [{ last: 100, ts: clock.ms - 300, received: clock.ms }], clock);
    expect(engine.lastPrice('ES')?.price).toBeCloseTo((0.75 * 100 + 1 * 104) / 1.75, 10);
  });

  it('reports the newest timestamp, the oldest input age and the source count', () => {
    const { engine, clock } = makeEngine();
    send(engine, 'a', [{ last: 100, ts: T0 - 40 }], clock);
    send(engine, 'b', [{ last: 100.5, ts: T0 - 10 }], clock);
    expect(engine.lastPrice('ES')).toMatchObject({ tsMs: T0 - 10, oldestAgeMs: 40, sourceCount: 2, computedAtMs: T0 });
    expect(engine.lastPrice('ES')?.confidence).toBeCloseTo(0.25, 12);
  });

  it('uses the per-instrument method', () => {
    const { engine, clock } = makeEngine({ instruments: { ES: { method: 'best_price' }, NQ: { method: 'median' } } });
    send(engine, 'a', [{ bid: 100, ask: 101 }, { instrument: 1, last: 10 }], clock);
    send(engine, 'b', [{ bid: 100.25, ask: 101.5 }, { instrument: 1, last: 11 }], clock);
    send(engine, 'c', [{ instrument: 1, last: 12.5 }], clock);
    expect(engine.lastPrice('ES')).toMatchObject({ bid: 100.25, ask: 101, price: 100.625, method: 'best_price' });
    expect(engine.lastPrice('NQ')).toMatchObject({ price: 11, method: 'median' });
  });

  it('leaves out a source slower than its timeout for that round', () => {
    const { engine, clock } = makeEngine({ sourceRules: { slow: { weight: 1, timeoutMs: 50 } } });
    send(engine, 'fast', [{ last: 100 }], clock);
    send(engine, 'slow', [{ last: 90, ts: clock.ms - 80, received: clock.ms }], clock);
    expect(engine.lastPrice('ES')).toMatchObject({ price: 100, sourceCount: 1 });
    expect(engine.counters.excludedBy(engine.sources.slotOf('slow'), Exclusion.Late)).toBeGreaterThan(0);
    clock.advance(1);
    send(engine, 'slow', [{ last: 100.5, ts: clock.ms - 10, received: clock.ms }], clock);
    const slowWeight = 100 / (100 + 10);
    expect(engine.lastPrice('ES')?.sourceCount).toBe(2);
    expect(engine.lastPrice('ES')?.price).toBeCloseTo((100 + 100.5 * slowWeight) / (1 + slowWeight), 10);
  });

  it('excludes a source more than outlierMads MADs from the median, counts it and keeps its value once', () => {
    const { engine, clock } = makeEngine({ defaults: { outlierMads: 5 } });
    send(engine, 'a', [{ last: 100 }], clock);
    send(engine, 'b', [{ last: 100.25 }], clock);
    send(engine, 'c', [{ last: 100.5 }], clock);
    send(engine, 'bad', [{ last: 120 }], clock);
    clock.advance(1);
    send(engine, 'a', [{ last: 100.25 }], clock);
    expect(engine.lastPrice('ES')?.sourceCount).toBe(3);
    expect(engine.lastPrice('ES')?.price).toBeLessThan(101);
    expect(engine.counters.excludedBy(engine.sources.slotOf('bad'), Exclusion.Outlier)).toBe(2);
    expect(engine.recentRejects(10).filter((r) => r.reason === 'outlier')).toEqual([expect.objectContaining({ sourceId: 'bad', symbol: 'ES', last: 120 })]);
  });

  it('does not call identical-but-one-tick quotes outliers (MAD floor)', () => {
    const { engine, clock } = makeEngine();
    for (const source of ['a', 'b', 'c']) send(engine, source, [{ last: 5000 }], clock);
    send(engine, 'd', [{ last: 5000.25 }], clock);
    expect(engine.lastPrice('ES')?.sourceCount).toBe(4);
  });

  it('drops a source that stops streaming at once, and takes it back when it streams again', () => {
    const { engine, clock } = makeEngine();
    send(engine, 'a', [{ last: 100 }], clock);
    send(engine, 'b', [{ last: 101 }], clock);
    engine.setSourceHealth('b', 'failed');
    expect(engine.lastPrice('ES')).toMatchObject({ price: 100, sourceCount: 1 });
    engine.setSourceHealth('b', 'streaming');
    expect(engine.lastPrice('ES')).toMatchObject({ price: 100.5, sourceCount: 2 });
  });
});

describe('stale sources (injected clock)', () => {
  afterEach(() => vi.useRealTimers());

  it('drops a source whose last price is older than maxAgeMs', () => {
    const { engine, clock } = makeEngine({ defaults: { maxAgeMs: 1_000 } });
    send(engine, 'a', [{ last: 100 }], clock);
    clock.advance(600);
    send(engine, 'b', [{ last: 102 }], clock);
    expect(engine.lastPrice('ES')?.sourceCount).toBe(2);
    clock.advance(400);
    engine.sweep();
    expect(engine.lastPrice('ES')?.sourceCount).toBe(2);
    clock.advance(1);
    engine.sweep();
    expect(engine.lastPrice('ES')).toMatchObject({ price: 102, sourceCount: 1 });
    expect(engine.counters.excludedBy(engine.sources.slotOf('a'), Exclusion.Stale)).toBe(1);
  });

  it('tells breach listeners once when no live source is left, and once when one is back', () => {
    const { engine, clock } = makeEngine({ defaults: { maxAgeMs: 1_000 } });
    const breaches: MarketDataBreach[] = [];
    engine.onBreach((breach) => breaches.push(breach));
    send(engine, 'a', [{ last: 100 }], clock);
    clock.advance(1_001);
    engine.sweep();
    engine.sweep();
    expect(engine.touch('ES')).toBeUndefined();
    expect(engine.lastPrice('ES')).toMatchObject({ price: 100, sourceCount: 0 });
    send(engine, 'a', [{ last: 100.25 }], clock);
    expect(breaches.map((b) => [b.kind, b.symbol])).toEqual([
      ['no_live_sources', 'ES'],
      ['live_sources_restored', 'ES'],
    ]);
    expect(engine.touch('ES')?.price).toBe(100.25);
  });

  it('sweeps on its own timer once started', () => {
    vi.useFakeTimers();
    const clock = new TestClock();
    const { engine } = makeEngine({ defaults: { maxAgeMs: 1_000 }, sweepIntervalMs: 100 }, ['ES'], clock);
    engine.start();
    send(engine, 'a', [{ last: 100 }], clock);
    clock.advance(2_000);
    vi.advanceTimersByTime(100);
    engine.stop();
    expect(engine.lastPrice('ES')?.sourceCount).toBe(0);
  });

  it('raises confidence_wide when sources disagree by more than maxConfidenceBps, and confidence_normal when they agree again', () => {
    const { engine, clock } = makeEngine({ defaults: { maxConfidenceBps: 10 } });
    const kinds: string[] = [];
    engine.onBreach((breach) => kinds.push(breach.kind));
    send(engine, 'a', [{ last: 100 }], clock);
    send(engine, 'b', [{ last: 100.5 }], clock);
    clock.advance(1);
    send(engine, 'b', [{ last: 100.05 }], clock);
    expect(kinds).toEqual(['confidence_wide', 'confidence_normal']);
  });
});

describe('subscribers', () => {
  it('get every recomputed price, all or per symbol, and a throwing one harms nobody', () => {
    const { engine, clock } = makeEngine();
    const all: ConsolidatedPrice[] = [];
    const nq: number[] = [];
    engine.subscribe(() => {
      throw new Error('broken subscriber');
    });
    engine.subscribe((price) => all.push({ ...price }));
    const off = engine.subscribe((price) => nq.push(price.price), 'NQ');
    send(engine, 'a', [{ last: 100 }, { instrument: 1, last: 200 }, { instrument: 1, last: 200.25, ts: T0 + 1 }], clock);
    off();
    clock.advance(5);
    send(engine, 'a', [{ instrument: 1, last: 200.5 }], clock);
    expect(all.map((p) => [p.symbol, p.price])).toEqual([
      ['ES', 100],
      ['NQ', 200.25],
      ['NQ', 200.5],
    ]);
    expect(nq).toEqual([200.25]);
    expect(engine.counters.listenerErrors).toBe(3);
  });

  it('touchInto fills a caller-owned record', () => {
    const { engine, clock } = makeEngine();
    send(engine, 'a', [{ bid: 99.75, ask: 100.25 }], clock);
    const out = { ...engine.lastPrice('ES')!, price: 0 };
    expect(engine.touchInto(engine.instruments.indexOf('ES'), out)).toBe(true);
    expect(out).toMatchObject({ symbol: 'ES', price: 100, bid: 99.75, ask: 100.25, sourceCount: 1 });
    expect(engine.touchInto(engine.instruments.indexOf('NQ'), out)).toBe(false);
    expect(() => engine.subscribe(() => undefined, 'ZZ')).toThrow(/unknown instrument "ZZ"/);
  });
});
