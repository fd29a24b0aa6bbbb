import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GbmPaths, type GbmSettings } from '../../../src/marketdata/sources/synthetic/gbmPaths.ts';

const settings = fc.record({
  seed: fc.integer(),
  drift: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
  volatility: fc.double({ min: 0, max: 2, noNaN: true }),
  tickIntervalMs: fc.integer({ min: 1, max: 86_400_000 }),
  startPrices: fc.array(fc.double({ min: 0.01, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 4 }),
  startTimeMs: fc.constant(0),
  jumps: fc.option(fc.record({ probability: fc.double({ min: 0, max: 1, noNaN: true }), sizeSigma: fc.double({ min: 0.001, max: 0.5, noNaN: true }) }), { nil: undefined }),
  gaps: fc.option(fc.record({ probability: fc.double({ min: 0, max: 1, noNaN: true }), maxTicks: fc.integer({ min: 1, max: 20 }) }), { nil: undefined }),
});

function run(s: GbmSettings, steps: number) {
  const paths = new GbmPaths(s);
  const prices: number[] = [];
  const delivered: boolean[] = [];
  for (let i = 0; i < steps; i += 1) {
    delivered.push(paths.step());
    prices.push(...paths.prices);
  }
  return { prices, delivered };
}

describe('synthetic GBM paths', () => {
  it('the same settings (seed included) give the same path, tick for tick', () => {
    fc.assert(
      fc.property(settings, (s) => {
        expect(run(s, 200)).toEqual(run(s, 200));
      }),
      { numRuns: 100 },
    );
  });

  it('different seeds give different paths', () => {
    fc.assert(
      fc.property(settings, fc.integer(), (s, other) => {
        fc.pre(s.volatility > 0.01 && other >>> 0 !== s.seed >>> 0);
        expect(run({ ...s, seed: other }, 50).prices).not.toEqual(run(s, 50).prices);
      }),
      { numRuns: 100 },
    );
  });

  it('prices stay positive and finite', () => {
    fc.assert(
      fc.property(settings, (s) => {
        for (const price of run(s, 300).prices) expect(price > 0 && Number.isFinite(price)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('nothing is delivered inside an outage window, everything outside one (without gaps)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 2, max: 50 }), fc.integer({ min: 1, max: 49 }), (seed, every, forTicks) => {
        fc.pre(forTicks < every);
        const tickIntervalMs = 10;
        const outages = { everyMs: every * tickIntervalMs, forMs: forTicks * tickIntervalMs };
        const { delivered } = run({ seed, drift: 0, volatility: 0.2, tickIntervalMs, startPrices: [100], startTimeMs: 0, outages }, 200);
        delivered.forEach((ok, i) => {
          const elapsed = (i + 1) * tickIntervalMs;
          const inOutage = elapsed >= outages.everyMs && elapsed % outages.everyMs < outages.forMs;
          expect(ok).toBe(!inOutage);
        });
      }),
    );
  });

  it('gaps make holes in the feed but leave the price path as it would be without them', () => {
    fc.assert(
      fc.property(settings, fc.double({ min: 0.05, max: 1, noNaN: true }), fc.integer({ min: 1, max: 10 }), (s, probability, maxTicks) => {
        const plain = run({ ...s, gaps: undefined }, 300);
        const holey = run({ ...s, gaps: { probability, maxTicks } }, 300);
        expect(holey.prices).toEqual(plain.prices);
        expect(plain.delivered.every(Boolean)).toBe(true);
        expect(holey.delivered.some((ok) => !ok)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
