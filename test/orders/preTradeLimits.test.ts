import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { preTradeChecks } from '../../src/orders/preTradeChecks.ts';
import { IntakeHalt } from '../../src/orders/intakeHalt.ts';
import { preTradeContext as context, preTradeOrder as order } from './preTradeFixtures.ts';



const reasons = (result: ReturnType<typeof preTradeChecks>) => (result.ok ? [] : result.reasons);

describe('maximum order size', () => {
  it('refuses a quantity above the symbol maximum, naming both; the maximum itself passes', () => {
    const ctx = context({ maxOrderSize: { '*': 10, NQ: 3 } });
    expect(preTradeChecks(order({ quantity: 10 }), ctx).ok).toBe(true);
    expect(reasons(preTradeChecks(order({ quantity: 11 }), ctx))).toEqual(['quantity 11 exceeds the maximum order size 10 for ES']);
    expect(reasons(preTradeChecks(order({ symbol: 'NQ', quantity: 4 }), ctx))).toEqual(['quantity 4 exceeds the maximum order size 3 for NQ']);
  });
});

describe('position limits count working orders (worst case per side)', () => {
  it('a buy is refused when position + working buys + it would pass the limit; working sells do not offset it', () => {
    const ctx = context();
    ctx.positions.seedFromBroker([{ account: 'DU1', symbol: 'ES', month: '202703', position: 10 }], []);
    ctx.positions.reserve('w1', order({ clientOrderId: 'w1', quantity: 6 }), 6);
    ctx.positions.reserve('w2', order({ clientOrderId: 'w2', side: 'SELL', quantity: 9 }), 9);
    expect(preTradeChecks(order({ quantity: 4 }), ctx).ok).toBe(true);
    expect(reasons(preTradeChecks(order({ quantity: 5 }), ctx))[0]).toMatch(/worst-case long position would be 21 \(position 10, working buys 6, this order 5\), beyond the limit 20 for ES/);
  });

  it('a sell is refused on the short side likewise; an order that only moves towards flat always passes', () => {
    const ctx = context();
    ctx.positions.seedFromBroker([{ account: 'DU1', symbol: 'ES', month: '202703', position: -25 }], []);
    expect(reasons(preTradeChecks(order({ side: 'SELL', quantity: 1 }), ctx))[0]).toMatch(/short position would be -26/);
    // Beyond the limit already, a buy reduces risk and passes.
    expect(preTradeChecks(order({ side: 'BUY', quantity: 5 }), ctx).ok).toBe(true);
  });

  it('the symbol limit adds every month; a per-month limit holds each month on its own', () => {
    const ctx = context({ positionLimit: { '*': 20 }, positionLimitPerMonth: { ES: 8 } });
    ctx.positions.seedFromBroker(
      [
        { account: 'DU1', symbol: 'ES', month: '202703', position: 7 },
        { account: 'DU1', symbol: 'ES', month: '202706', position: 12 },
      ],
      [],
    );
    expect(reasons(preTradeChecks(order({ expiry: '202703', quantity: 2 }), ctx))).toEqual([
      'worst-case long position would be 21 (position 19, working buys 0, this order 2), beyond the limit 20 for ES',
      'worst-case long position would be 9 (position 7, working buys 0, this order 2), beyond the limit 8 for ES 202703',
    ]);
    expect(preTradeChecks(order({ expiry: '202709', quantity: 1 }), ctx).ok).toBe(true);
  });

  it('fills move a working order into the position: its exposure is counted once', () => {
    const ctx = context();
    ctx.positions.reserve('w1', order({ clientOrderId: 'w1', quantity: 10 }), 10);
    ctx.positions.applyExecution('DU1', 'ES', '202703', 'BUY', 'e1', 4);
    ctx.positions.updateWorking('w1', 6);
    // Applied twice (a replay): counted once.
    ctx.positions.applyExecution('DU1', 'ES', '202703', 'BUY', 'e1', 4);
    expect(ctx.positions.exposure({ account: 'DU1', symbol: 'ES' })).toEqual({ position: 4, workingBuys: 6, workingSells: 0 });
    ctx.positions.release('w1');
    expect(ctx.positions.exposure({ account: 'DU1', symbol: 'ES' })).toEqual({ position: 4, workingBuys: 0, workingSells: 0 });
  });

  it('a modify is judged with its new quantity in place of the order own working quantity', () => {
    const ctx = context({ maxOrderSize: { '*': 100 } });
    ctx.positions.reserve('o1', order({ quantity: 10 }), 10);
    ctx.positions.reserve('w2', order({ clientOrderId: 'w2', quantity: 8 }), 8);
    // 8 + new 10 = 18: fine, although 8 + 10 (its old self) + 10 would not be.
    expect(preTradeChecks(order({ quantity: 10 }), ctx, { replacing: 'o1' }).ok).toBe(true);
    // Only what has not filled can still fill.
    expect(preTradeChecks(order({ quantity: 15 }), ctx, { replacing: 'o1', filled: 3 }).ok).toBe(true);
    expect(preTradeChecks(order({ quantity: 15 }), ctx, { replacing: 'o1', filled: 2 }).ok).toBe(false);
  });

  it('property: a buy passes exactly when position + working buys + its open quantity stays within the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -40, max: 40 }),
        fc.array(fc.record({ side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'), quantity: fc.integer({ min: 1, max: 10 }) }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
        (position, working, quantity, side) => {
          const ctx = context({ maxOrderSize: { '*': 100 }, positionLimit: { '*': 20 } });
          ctx.positions.seedFromBroker([{ account: 'DU1', symbol: 'ES', month: '202703', position }], []);
          working.forEach((w, i) => ctx.positions.reserve(`w${i}`, order({ clientOrderId: `w${i}`, side: w.side, quantity: w.quantity }), w.quantity));
          const buys = working.filter((w) => w.side === 'BUY').reduce((n, w) => n + w.quantity, 0);
          const sells = working.filter((w) => w.side === 'SELL').reduce((n, w) => n + w.quantity, 0);
          const within = side === 'BUY' ? position + buys + quantity <= 20 : position - sells - quantity >= -20;
          expect(preTradeChecks(order({ side, quantity }), ctx).ok).toBe(within);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('prices', () => {
  it('must be finite, positive unless the instrument allows otherwise, and on the tick', () => {
    const ctx = context({ nonPositivePrices: ['CL'] });
    expect(reasons(preTradeChecks(order({ orderType: 'LMT', limitPrice: Number.NaN }), ctx))).toEqual(['limitPrice NaN is not a finite number']);
    expect(reasons(preTradeChecks(order({ orderType: 'LMT', limitPrice: -1 }), ctx))).toEqual(['limitPrice -1 must be positive for ES']);
    expect(reasons(preTradeChecks(order({ orderType: 'LMT', limitPrice: 5000.1 }), ctx))).toEqual(['limitPrice 5000.1 is not on the 0.25 tick of ES']);
    expect(preTradeChecks(order({ orderType: 'LMT', limitPrice: 5000.25 }), ctx).ok).toBe(true);
    expect(preTradeChecks(order({ symbol: 'ZN', orderType: 'LMT', limitPrice: 110 + 3 / 64 }), ctx).ok).toBe(true);
    expect(preTradeChecks(order({ symbol: 'CL', orderType: 'STP', stopPrice: -37.5 }), ctx).ok).toBe(true);
  });
});

describe('halted intake', () => {
  it('refuses orders that add risk with the reason, and lets risk-reducing ones through', () => {
    const halt = new IntakeHalt();
    const ctx = context({}, { halt });
    ctx.positions.seedFromBroker([{ account: 'DU1', symbol: 'ES', month: '202703', position: 3 }], []);
    halt.halt('redis', 'Redis lost its state');
    expect(reasons(preTradeChecks(order({ side: 'BUY' }), ctx))).toEqual(['halted: Redis lost its state']);
    expect(preTradeChecks(order({ side: 'SELL', quantity: 3 }), ctx).ok).toBe(true);
    expect(preTradeChecks(order({ side: 'SELL', quantity: 4 }), ctx).ok).toBe(false);
    halt.clear('redis');
    expect(preTradeChecks(order({ side: 'BUY' }), ctx).ok).toBe(true);
  });
});
