import { describe, expect, it } from 'vitest';
import { preTradeChecks, type PreTradeContext } from '../../src/orders/preTradeChecks.ts';
import { liveTradingRefusal } from '../../src/ib/accountKind.ts';
import { OrderMeter, preTradeCheckOf, rejectClassOf, type OrderMetrics, type OrderOutcome, type PreTradeCheck } from '../../src/orders/orderMetrics.ts';
import type { OrderContext, OrderSpec } from '../../src/machines/orders/orderTypes.ts';
import { preTradeContext as context, preTradeOrder as order } from '../orders/preTradeFixtures.ts';



const refusals = (spec: OrderSpec, ctx: PreTradeContext) => {
  const result = preTradeChecks(spec, ctx);
  return result.ok ? [] : result.reasons;
};

describe('pre-trade refusals by check', () => {
  // Each case makes one check fail (the position limit twice: all months and the one month), with the wording preTradeChecks uses today.
  it.each<[PreTradeCheck, OrderSpec, PreTradeContext]>([
    ['halted', order(), context({}, { halt: { reason: 'operator: lunch' } })],
    ['account', order(), context({}, { accountRefusal: () => liveTradingRefusal(['U1234567'], false) })],
    ['locked_instrument', order(), context({}, { lockedInstruments: new Set(['ES']) })],
    ['max_order_size', order({ quantity: 11 }), context()],
    ['price', order({ orderType: 'LMT', limitPrice: 100.1 }), context()],
    ['position_limit', order({ quantity: 10 }), context({ positionLimit: { '*': 5 } })],
    ['price_collar', order({ orderType: 'LMT', limitPrice: 200 }), context({ priceCollar: { maxDeviationPct: { '*': 5 }, maxPriceAgeMs: 1_000, whenNoPrice: 'reject' } }, { quotes: { touch: () => ({ bid: 99, ask: 101, last: 100, tsMs: 0 }) }, now: () => 10 })],
    ['price_collar', order({ orderType: 'LMT', limitPrice: 200 }), context({ priceCollar: { maxDeviationPct: { '*': 5 }, maxPriceAgeMs: 1_000, whenNoPrice: 'reject' } })],
  ])('%s', (check, spec, ctx) => {
    const reasons = refusals(spec, ctx);
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.map(preTradeCheckOf)).toEqual(reasons.map(() => check));
  });
});

describe('rejections by reason class', () => {
  it.each([
    ['pre-trade: quantity 11 exceeds the maximum order size 10 for ES', 'pre_trade'],
    ['whatIf margin: initial margin change 1 beyond 0', 'margin'],
    ['whatIf margin check failed: timeout', 'margin'],
    ['submit failed: Error: socket closed', 'submit_failed'],
    ['201: Order rejected - reason: no trading permissions', 'broker'],
    ['every TWAP slice was rejected', 'twap_slices'],
    [null, 'other'],
  ] as const)('%s', (reason, expected) => {
    expect(rejectClassOf(reason)).toBe(expected);
  });
});

describe('the order meter', () => {
  const recorder = () => {
    const seen = { finished: [] as [OrderOutcome, string][], refused: [] as string[], routed: [] as number[], acknowledged: [] as number[] };
    const metrics: OrderMetrics = {
      finished: (outcome, reason) => void seen.finished.push([outcome, reason]),
      refused: (check) => void seen.refused.push(check),
      routed: (seconds) => void seen.routed.push(seconds),
      acknowledged: (seconds) => void seen.acknowledged.push(seconds),
      commission: () => undefined,
    };
    return { seen, meter: new OrderMeter(metrics) };
  };
  const ctx = (over: Partial<OrderContext> = {}) => ({ rejectReason: null, checkFailures: null, ...over }) as OrderContext;

  it('times pickup to socket once and socket to the first answer once, in seconds; a finished order leaves nothing behind', () => {
    const { seen, meter } = recorder();
    meter.jobPickedUp('a', performance.now());
    meter.placementWritten('a');
    // A resend after a reconnect is neither a second route nor a new send time.
    meter.placementWritten('a');
    meter.transitioned('a', 'working', ctx(), false);
    meter.transitioned('a', 'partiallyFilled', ctx(), false);
    meter.transitioned('a', 'filled', ctx(), true);
    expect(seen.routed).toHaveLength(1);
    expect(seen.acknowledged).toHaveLength(1);
    expect([...seen.routed, ...seen.acknowledged].every((s) => s >= 0 && s < 1)).toBe(true);
    expect(seen.finished).toEqual([['filled', 'none']]);
    // The same id again (a test reusing it) starts from nothing.
    meter.transitioned('a', 'working', ctx(), false);
    expect(seen.acknowledged).toHaveLength(1);
  });

  it('counts a pre-trade rejection by class and each failed check; a broker rejection after a refused modify counts no check', () => {
    const { seen, meter } = recorder();
    meter.transitioned('b', 'rejected', ctx({ rejectReason: 'pre-trade: halted: x; quantity 11 exceeds the maximum order size 10 for ES', checkFailures: ['halted: x', 'quantity 11 exceeds the maximum order size 10 for ES'] }), true);
    meter.transitioned('c', 'rejected', ctx({ rejectReason: '201: rejected', checkFailures: ['quantity 11 exceeds the maximum order size 10 for ES'] }), true);
    meter.modifyRefused(['worst-case long position would be 30 (position 0, working buys 0, this order 30), beyond the limit 20 for ES']);
    expect(seen.finished).toEqual([
      ['rejected', 'pre_trade'],
      ['rejected', 'broker'],
    ]);
    expect(seen.refused).toEqual(['halted', 'max_order_size', 'position_limit']);
  });
});
