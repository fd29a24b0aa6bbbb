import { describe, expect, it } from 'vitest';
import { preTradeChecks, type PreTradeContext } from '../../src/orders/preTradeChecks.ts';
import { PositionBook } from '../../src/orders/positionBook.ts';
import type { OrderSpec } from '../../src/machines/orders/orderTypes.ts';

const order = (extra: Partial<OrderSpec>): OrderSpec => ({ clientOrderId: 'c', account: 'DU1', symbol: 'ES', side: 'BUY', quantity: 1, orderType: 'LMT', limitPrice: 5_000, timeInForce: 'DAY', ...extra });

function context(last: number | null, whenNoPrice: 'reject' | 'allow' = 'reject', ageMs = 0): PreTradeContext {
  return {
    limits: { maxOrderSize: { '*': 10 }, positionLimit: { '*': 100 }, priceCollar: { maxDeviationPct: { '*': 5, CL: 10 }, maxPriceAgeMs: 1_000, whenNoPrice } },
    positions: new PositionBook(),
    lockedInstruments: new Set(),
    quotes: { touch: () => (last === null ? null : { bid: last, ask: last, last, tsMs: 10_000 - ageMs }) },
    now: () => 10_000,
  };
}

describe('price collar against the last consolidated price', () => {
  it('lets a limit within the collar through and refuses one beyond it, naming prices and the collar', () => {
    expect(preTradeChecks(order({ limitPrice: 5_240 }), context(5_000))).toEqual({ ok: true });
    const refused = preTradeChecks(order({ limitPrice: 5_300 }), context(5_000));
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reasons[0]).toMatch(/5300 is 6\.00% from the last price 5000 of ES, beyond the collar of 5%/);
  });

  it('checks stop prices too, and uses the per-symbol collar', () => {
    expect(preTradeChecks(order({ orderType: 'STP', limitPrice: undefined, stopPrice: 4_000 }), context(5_000)).ok).toBe(false);
    expect(preTradeChecks(order({ symbol: 'CL', limitPrice: 75 }), context(70)).ok).toBe(true);
  });

  it('leaves market orders alone', () => {
    expect(preTradeChecks(order({ orderType: 'MKT', limitPrice: undefined }), context(null))).toEqual({ ok: true });
  });

  it('with no price, or only a stale one, refuses or allows as configured', () => {
    expect(preTradeChecks(order({}), context(null)).ok).toBe(false);
    expect(preTradeChecks(order({}), context(5_000, 'reject', 1_001)).ok).toBe(false);
    expect(preTradeChecks(order({}), context(5_000, 'reject', 1_000)).ok).toBe(true);
    expect(preTradeChecks(order({}), context(null, 'allow')).ok).toBe(true);
  });
});
