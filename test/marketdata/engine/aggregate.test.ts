import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, AggregateScratch, type Aggregate } from '../../../src/marketdata/aggregate.ts';
import { METHOD_BEST_PRICE, METHOD_MEDIAN, METHOD_WEIGHTED_AVERAGE } from '../../../src/marketdata/instrumentRules.ts';

const MAX = 16;
const price = fc.double({ min: -1e6, max: 1e6, noNaN: true });
/** A source's quote: bid <= ask, as quality control guarantees, or one-sided (NaN). */
const quote = fc.oneof(
  fc.tuple(price, fc.double({ min: 0, max: 1e3, noNaN: true }), fc.double({ min: 1e-6, max: 1e3, noNaN: true })).map(([bid, spread, weight]) => ({ bid, ask: bid + spread, price: bid + spread / 2, weight })),
  fc.tuple(price, fc.double({ min: 1e-6, max: 1e3, noNaN: true })).map(([last, weight]) => ({ bid: Number.NaN, ask: Number.NaN, price: last, weight })),
);
const quotes = fc.array(quote, { minLength: 1, maxLength: MAX });

function run(method: number, input: Array<{ bid: number; ask: number; price: number; weight: number }>): Aggregate {
  const out: Aggregate = { price: 0, bid: 0, ask: 0, confidence: 0 };
  aggregate(
    method,
    input.length,
    Float64Array.from(input, (q) => q.price),
    Float64Array.from(input, (q) => q.bid),
    Float64Array.from(input, (q) => q.ask),
    Float64Array.from(input, (q) => q.weight),
    new AggregateScratch(MAX),
    out,
  );
  return out;
}

describe('aggregate (property)', () => {
  it.each([
    ['median', METHOD_MEDIAN],
    ['weighted average', METHOD_WEIGHTED_AVERAGE],
  ])('the %s lies within the min and max of the inputs', (_name, method) => {
    fc.assert(
      fc.property(quotes, (input) => {
        const out = run(method, input);
        const prices = input.map((q) => q.price);
        expect(out.price).toBeGreaterThanOrEqual(Math.min(...prices));
        expect(out.price).toBeLessThanOrEqual(Math.max(...prices));
        expect(out.confidence).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it.each([
    ['median', METHOD_MEDIAN],
    ['weighted average', METHOD_WEIGHTED_AVERAGE],
    ['best price', METHOD_BEST_PRICE],
  ])('the %s bid never exceeds its ask', (_name, method) => {
    fc.assert(
      fc.property(quotes, (input) => {
        const out = run(method, input);
        const twoSided = input.some((q) => !Number.isNaN(q.bid));
        if (twoSided) expect(out.bid).toBeLessThanOrEqual(out.ask);
        else expect([out.bid, out.ask]).toEqual([Number.NaN, Number.NaN]);
      }),
    );
  });

  it('has zero confidence with one source and when all sources agree', () => {
    fc.assert(
      fc.property(price, fc.integer({ min: 1, max: MAX }), (p, n) => {
        const out = run(METHOD_WEIGHTED_AVERAGE, Array.from({ length: n }, () => ({ bid: Number.NaN, ask: Number.NaN, price: p, weight: 1 })));
        expect(out.confidence).toBe(0);
      }),
    );
  });
});

describe('aggregate', () => {
  it('weights sources', () => {
    const out = run(METHOD_WEIGHTED_AVERAGE, [
      { bid: 99, ask: 101, price: 100, weight: 3 },
      { bid: 103, ask: 105, price: 104, weight: 1 },
    ]);
    expect(out).toMatchObject({ price: 101, bid: 100, ask: 102 });
    expect(out.confidence).toBeCloseTo(Math.sqrt((3 * 1 + 1 * 9) / 4), 12);
  });

  it('takes the best bid and best ask across sources', () => {
    const out = run(METHOD_BEST_PRICE, [
      { bid: 99, ask: 101, price: 100, weight: 1 },
      { bid: 99.5, ask: 101.5, price: 100.5, weight: 1 },
      { bid: 98, ask: 100.5, price: 99.25, weight: 1 },
    ]);
    expect(out).toMatchObject({ bid: 99.5, ask: 100.5, price: 100 });
  });

  it('falls back to the median bid and ask when the best prices would cross', () => {
    const out = run(METHOD_BEST_PRICE, [
      { bid: 99, ask: 100, price: 99.5, weight: 1 },
      { bid: 101, ask: 102, price: 101.5, weight: 1 },
      { bid: 100, ask: 101, price: 100.5, weight: 1 },
    ]);
    expect(out).toMatchObject({ bid: 100, ask: 101, price: 100.5 });
  });

  it('takes the middle of an even number of prices as the median', () => {
    expect(run(METHOD_MEDIAN, [1, 4, 2, 10].map((p) => ({ bid: Number.NaN, ask: Number.NaN, price: p, weight: 1 }))).price).toBe(3);
  });
});
