import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reject } from '../../../src/marketdata/rejectReasons.ts';
import { dailyUnitChange, MS_PER_DAY, nextEwma } from '../../../src/marketdata/spikeFilter.ts';
import { captureBalanced, makeEngine, rejectsOf, send, T0 } from './engineKit.ts';

const WARMUP = 20;

/** Feeds `prices` from one source at a fixed spacing; returns the engine. */
function feed(prices: readonly number[], spacingMs: number, overrides: Record<string, unknown> = {}) {
  const { engine } = makeEngine({ defaults: { spikeWarmup: WARMUP, maxAgeMs: 10 * MS_PER_DAY, maxFutureMs: 10 * MS_PER_DAY }, ...overrides });
  send(engine, 'a', prices.map((last, i) => ({ last, ts: T0 + i * spacingMs })));
  return engine;
}

describe('spike filter arithmetic', () => {
  it('puts a change in daily units by dividing by the square root of elapsed days', () => {
    expect(dailyUnitChange(2, MS_PER_DAY / 4)).toBeCloseTo(4, 12);
    expect(dailyUnitChange(-3, MS_PER_DAY)).toBeCloseTo(-3, 12);
  });

  it('starts the EWMA as a plain mean', () => {
    let ewma = 0;
    [4, 8, 6].forEach((value, i) => (ewma = nextEwma(ewma, value, i + 1, 0.01)));
    expect(ewma).toBeCloseTo(6, 12);
  });
});

describe('spike filter (property)', () => {
  it('never flags a series of constant-size changes', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 10_000, noNaN: true }),
        fc.double({ min: 1e-4, max: 50, noNaN: true }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 60_000 }),
        (start, step, ups, spacingMs) => {
          const prices = [start];
          for (const up of ups) prices.push(prices[prices.length - 1]! + (up ? step : -step));
          const engine = feed(prices, spacingMs, { defaults: { allowNonPositive: true, spikeWarmup: WARMUP, maxAgeMs: 10 * MS_PER_DAY, maxFutureMs: 10 * MS_PER_DAY } });
          expect(engine.counters.held[0]).toBe(0);
          expect(rejectsOf(engine, 'a', Reject.Spike)).toBe(0);
          expect(engine.counters.accepted[0]).toBe(prices.length);
        },
      ),
    );
  });

  it('flags (holds back) a single 20-sigma jump after the warm-up', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 100, max: 10_000, noNaN: true }),
        fc.double({ min: 1e-3, max: 1, noNaN: true }),
        // Change sizes within [u, 2u] keep the average absolute change within a factor 2 of sigma.
        fc.array(fc.tuple(fc.boolean(), fc.double({ min: 1, max: 2, noNaN: true })), { minLength: WARMUP, maxLength: 300 }),
        fc.boolean(),
        (start, unit, moves, up) => {
          const changes = moves.map(([positive, size]) => (positive ? 1 : -1) * size * unit);
          const prices = [start];
          for (const change of changes) prices.push(prices[prices.length - 1]! + change);
          const sigma = Math.sqrt(changes.reduce((sum, c) => sum + c * c, 0) / changes.length);
          const before = prices[prices.length - 1]!;
          prices.push(before + (up ? 20 : -20) * sigma);
          const engine = feed(prices, 1_000, { defaults: { allowNonPositive: true, spikeWarmup: WARMUP, maxAgeMs: 10 * MS_PER_DAY, maxFutureMs: 10 * MS_PER_DAY } });
          expect(engine.counters.held[0]).toBe(1);
          expect(engine.lastPrice('ES')?.price).toBe(before);
          expect(captureBalanced(engine)).toBe(true);
        },
      ),
    );
  });
});

describe('held spikes', () => {
  const base = Array.from({ length: 30 }, (_, i) => 100 + (i % 2 === 0 ? 0 : 0.25));

  it('are released when the next price confirms the new level', () => {
    const engine = feed([...base, 110, 110.25], 1_000);
    expect(engine.counters.held[0]).toBe(0);
    expect(engine.counters.released[0]).toBe(1);
    expect(engine.counters.accepted[0]).toBe(base.length + 2);
    expect(engine.lastPrice('ES')?.price).toBe(110.25);
  });

  it('become counted spike rejections, raw value kept, when the next price reverts', () => {
    const engine = feed([...base, 110, 100.25], 1_000);
    expect(rejectsOf(engine, 'a', Reject.Spike)).toBe(1);
    expect(engine.recentRejects(1)[0]).toMatchObject({ reason: 'spike', last: 110, symbol: 'ES' });
    expect(engine.lastPrice('ES')?.price).toBe(100.25);
    expect(captureBalanced(engine)).toBe(true);
  });

  it('are never flagged during the warm-up', () => {
    const engine = feed([100, 100.25, 100, 150], 1_000);
    expect(engine.counters.held[0]).toBe(0);
    expect(engine.lastPrice('ES')?.price).toBe(150);
  });

  it('respect a per-instrument maxPriceSpike', () => {
    const loose = feed([...base, 110], 1_000, { instruments: { ES: { maxPriceSpike: 1_000 }, NQ: {} } });
    expect(loose.counters.held[0]).toBe(0);
  });
});
