import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newExecutions } from '../../src/orders/newExecutions.ts';

describe('newExecutions', () => {
  it('returns exactly the quantity above `before`, from the latest executions, each at most its own size', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 20 }), fc.nat(1_000), (sizes, rawBefore) => {
        const fills = sizes.map((quantity, i) => ({ execId: `e${i}`, quantity, price: 100 }));
        const total = sizes.reduce((a, b) => a + b, 0);
        const before = Math.min(rawBefore, total);
        const added = newExecutions(fills, before);
        expect(added.reduce((n, e) => n + e.quantity, 0)).toBe(total - before);
        for (const e of added) expect(e.quantity).toBeGreaterThan(0), expect(e.quantity).toBeLessThanOrEqual(e.fill.quantity);
        // Contiguous tail: once an execution is new, every later one is too.
        const first = added[0] ? fills.indexOf(added[0].fill) : fills.length;
        expect(added.map((e) => e.fill)).toEqual(fills.slice(first));
      }),
    );
  });
});
