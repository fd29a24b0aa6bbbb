import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chaseTarget, crossPrice, roundToTick } from '../../../../src/machines/orders/algorithms/chasePrice.ts';
import { sliceDueAtMs, sliceQuantities } from '../../../../src/machines/orders/algorithms/twapSchedule.ts';

const ticks = fc.constantFrom(0.25, 0.01, 0.1, 0.015625, 0.03125, 0.00005);

describe('TWAP schedule', () => {
  it('slices add up to the quantity, are whole contracts of at least one, differ by at most one, larger first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 2, max: 500 }), (quantity, slices) => {
        const parts = sliceQuantities(quantity, slices);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(quantity);
        expect(parts.length).toBe(Math.min(slices, quantity));
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
        expect(parts.every((p, i) => Number.isInteger(p) && p >= 1 && (i === 0 || p <= parts[i - 1]!))).toBe(true);
      }),
    );
  });

  it('slice times start at once, never go back, and all fall before the end of the duration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 500 }), fc.integer({ min: 1_000, max: 86_400_000 }), (slices, durationMs) => {
        const times = Array.from({ length: slices }, (_, i) => sliceDueAtMs(i, slices, durationMs));
        expect(times[0]).toBe(0);
        for (let i = 1; i < slices; i += 1) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
        expect(times.at(-1)!).toBeLessThan(durationMs);
      }),
    );
  });
});

describe('chase prices', () => {
  it('rounding to the tick never pays more: a buyer rounds down, a seller up, by less than one tick', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 100_000, noNaN: true }), ticks, (price, tick) => {
        const buy = roundToTick(price, tick, 'BUY');
        const sell = roundToTick(price, tick, 'SELL');
        expect(buy).toBeLessThanOrEqual(price + 1e-9);
        expect(sell).toBeGreaterThanOrEqual(price - 1e-9);
        expect(price - buy).toBeLessThan(tick + 1e-9);
        expect(sell - price).toBeLessThan(tick + 1e-9);
        expect(Math.abs(buy / tick - Math.round(buy / tick))).toBeLessThan(1e-6);
      }),
    );
  });

  it('the chase joins its own side of the touch, and a crossing limit is through the far side', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 1_000_000 }), fc.integer({ min: 1, max: 20 }), ticks, fc.constantFrom('BUY' as const, 'SELL' as const), (bidTicks, spreadTicks, tick, side) => {
        const touch = { bid: bidTicks * tick, ask: (bidTicks + spreadTicks) * tick, last: bidTicks * tick, tsMs: 0 };
        const target = chaseTarget(touch, side, tick)!;
        expect(target).toBeCloseTo(side === 'BUY' ? touch.bid : touch.ask, 8);
        const cross = crossPrice(touch, side, tick, 2)!;
        if (side === 'BUY') expect(cross).toBeGreaterThanOrEqual(touch.ask);
        else expect(cross).toBeLessThanOrEqual(touch.bid);
      }),
    );
  });

  it('no usable touch, no price', () => {
    expect(chaseTarget({ bid: Number.NaN, ask: 1, last: 1, tsMs: 0 }, 'BUY', 0.25)).toBeNull();
    expect(crossPrice({ bid: 1, ask: 0, last: 1, tsMs: 0 }, 'BUY', 0.25, 2)).toBeNull();
  });
});
