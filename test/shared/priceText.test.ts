import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceText, tickDecimals } from '../../src/shared/priceText.ts';

describe('priceText: a price at its tick precision', () => {
  it('the floating-point noise of arithmetic on prices is gone', () => {
    expect(priceText(69.97999999999999, 0.01)).toBe('69.98');
    expect(priceText(0.1 + 0.2, 0.01)).toBe('0.3');
    expect(priceText(5000.25, 0.25)).toBe('5000.25');
    expect(priceText(5000, 0.25)).toBe('5000');
    expect(priceText(110.03125, 1 / 32)).toBe('110.03125');
  });

  it('an off-tick price keeps the digits that put it off the tick', () => {
    expect(priceText(5000.125, 0.25)).toBe('5000.125');
    expect(priceText(5000.1, 0.25)).toBe('5000.1');
  });

  it('any whole number of ticks, computed in floating point, reads as the exact decimal', () => {
    const ticks = fc.constantFrom(0.01, 0.25, 0.5, 0.005, 0.0001, 1, 10, 0.03125);
    fc.assert(
      fc.property(ticks, fc.integer({ min: -10_000_000, max: 10_000_000 }), (tick, n) => {
        const text = priceText(n * tick, tick);
        const decimals = tickDecimals(tick);
        expect(text).toBe(String(Number((n * tick).toFixed(decimals))));
        expect(text.split('.')[1]?.length ?? 0).toBeLessThanOrEqual(decimals);
      }),
      { numRuns: 500 },
    );
  });

  it('without a tick size, the noise is still trimmed; non-finite values are shown as they are', () => {
    expect(priceText(69.97999999999999, undefined)).toBe('69.98');
    expect(priceText(Number.NaN, 0.01)).toBe('NaN');
  });
});
