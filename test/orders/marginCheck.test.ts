import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NEEDED_FIGURES, judgeMargin } from '../../src/orders/marginCheck.ts';
import { whatIfMargins } from '../../src/ib/parsing/whatIf.ts';
import { startOrder } from '../machines/orders/orderMachineHarness.ts';
import { orderWorld, waitForState, type Cleanup } from './orderWorld.ts';

const margins = (initMarginChange: number, initMarginAfter: number, equityWithLoanAfter: number) => ({
  initMarginChange,
  maintMarginChange: initMarginChange * 0.9,
  initMarginAfter,
  maintMarginAfter: initMarginAfter * 0.9,
  equityWithLoanAfter,
});

describe('whatIf margin verdict', () => {
  it('refuses an order that would leave margin above equity, or that adds more than the cap; passes risk-reducing ones', () => {
    expect(judgeMargin(margins(22_000, 44_000, 1_000_000), { maxInitMarginChange: null })).toEqual({ ok: true });
    expect(judgeMargin(margins(22_000, 1_100_000, 1_000_000), { maxInitMarginChange: null })).toMatchObject({ ok: false, reason: expect.stringMatching(/exceed equity with loan 1000000/) });
    expect(judgeMargin(margins(66_000, 66_000, 1_000_000), { maxInitMarginChange: 50_000 })).toMatchObject({ ok: false, reason: expect.stringMatching(/66000 exceeds the per-order cap 50000/) });
    expect(judgeMargin(margins(-22_000, 2_000_000, 1_000_000), { maxInitMarginChange: 1 })).toEqual({ ok: true });
    expect(judgeMargin(margins(Number.NaN, 1, 1), { maxInitMarginChange: null })).toEqual({ ok: false, reason: 'IB gave no initMarginChange' });
  });

  it.each(NEEDED_FIGURES)('refuses, naming it, when IB leaves %s empty — even for an order that reduces margin', (field) => {
    for (const state of [
      { initMarginChange: '-22000', initMarginAfter: '44000', equityWithLoanAfter: '1000000', [field]: '' },
      { initMarginChange: '-22000', initMarginAfter: '44000', equityWithLoanAfter: '1000000', [field]: '1.7976931348623157E308' },
      { initMarginChange: 22_000, initMarginAfter: 44_000, equityWithLoanAfter: 1_000_000, [field]: undefined },
      { initMarginChange: 22_000, initMarginAfter: 44_000, equityWithLoanAfter: 1_000_000, [field]: 1.7976931348623157e308 },
    ]) {
      expect(judgeMargin(whatIfMargins(state), { maxInitMarginChange: null })).toEqual({ ok: false, reason: `IB gave no ${field}` });
    }
  });

  it('an answer with no figures at all names every missing figure; empty text is never read as zero margin', () => {
    const empty = { initMarginChange: '', maintMarginChange: '', initMarginAfter: '', maintMarginAfter: '', equityWithLoanAfter: '' };
    expect(judgeMargin(whatIfMargins(empty), { maxInitMarginChange: null })).toEqual({ ok: false, reason: 'IB gave no initMarginChange, initMarginAfter, equityWithLoanAfter' });
    expect(judgeMargin(whatIfMargins(undefined), { maxInitMarginChange: 1_000_000 })).toMatchObject({ ok: false });
  });

  it('the maintenance figures are not needed: their absence does not refuse an order the needed figures pass', () => {
    expect(judgeMargin(whatIfMargins({ initMarginChange: '22000', initMarginAfter: '44000', equityWithLoanAfter: '1000000' }), { maxInitMarginChange: null })).toEqual({ ok: true });
  });

  it('property: an answer missing any needed figure is refused, naming exactly the missing ones; a complete one is judged on its figures', () => {
    const missing = fc.constantFrom<unknown>(undefined, '', ' ', 'abc', Number.NaN, Number.POSITIVE_INFINITY, 1.7976931348623157e308, '1.7976931348623157E308');
    const present = fc.double({ min: -1e9, max: 1e9, noNaN: true });
    const figure = fc.oneof(missing, present, present.map(String));
    fc.assert(
      fc.property(
        fc.record({ initMarginChange: figure, initMarginAfter: figure, equityWithLoanAfter: figure }),
        fc.option(fc.double({ min: 0, max: 1e9, noNaN: true }), { nil: null }),
        (state, cap) => {
          const m = whatIfMargins(state as never);
          const verdict = judgeMargin(m, { maxInitMarginChange: cap });
          const absent = NEEDED_FIGURES.filter((f) => Number.isNaN(m[f]));
          if (absent.length > 0) {
            expect(verdict).toEqual({ ok: false, reason: `IB gave no ${absent.join(', ')}` });
          } else {
            const passes = m.initMarginChange <= 0 || (m.initMarginAfter <= m.equityWithLoanAfter && (cap === null || m.initMarginChange <= cap));
            expect(verdict.ok).toBe(passes);
          }
        },
      ),
    );
  });
});

describe('the order machine with the margin check', () => {
  it('an answer without a needed figure rejects the order, naming the figure, nothing sent', async () => {
    const o = startOrder({ margin: judgeMargin(whatIfMargins({ initMarginChange: '', initMarginAfter: '44000', equityWithLoanAfter: '1000000' }), { maxInitMarginChange: null }) }, { marginCheck: true });
    await o.settle();
    expect(o.actor.getSnapshot().value).toBe('rejected');
    expect(o.actor.getSnapshot().context.rejectReason).toBe('whatIf margin: IB gave no initMarginChange');
    expect(o.calls).toMatchObject({ marginCheck: 1, submit: 0 });
  });

  it('asks before sending, and a refusal rejects the order with the broker’s figures, nothing sent', async () => {
    const o = startOrder({ margin: { ok: false, reason: 'initial margin change 66000 exceeds the per-order cap 50000' } }, { marginCheck: true });
    await o.settle();
    expect(o.actor.getSnapshot().value).toBe('rejected');
    expect(o.actor.getSnapshot().context.rejectReason).toBe('whatIf margin: initial margin change 66000 exceeds the per-order cap 50000');
    expect(o.calls).toMatchObject({ marginCheck: 1, submit: 0 });
  });

  it('passes on to submitting once, and only when the connection can answer', async () => {
    const o = startOrder({ held: true }, { marginCheck: true });
    await o.settle();
    expect(o.actor.getSnapshot().value).toBe('holding');
    expect(o.calls.marginCheck).toBe(0);
    o.openGate();
    await o.settle();
    await o.settle();
    expect(o.calls).toMatchObject({ marginCheck: 1, submit: 1 });
    expect(o.persisted).toContain('checkingMargin');
  });
});

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('whatIf against the simulator', () => {
  it('an order whose margin exceeds the cap is rejected before it is placed; a smaller one fills', async () => {
    const w = await orderWorld(cleanups);
    const s = await w.startService({ marginCheck: { maxInitMarginChange: 50_000 } });
    const order = { account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', orderType: 'MKT', strategy: 'test' };
    await w.queue.add('o', { ...order, clientOrderId: 'wi-big', quantity: 3 });
    await w.queue.add('o', { ...order, clientOrderId: 'wi-ok', quantity: 1 });
    expect(await waitForState(s.service, 'wi-big', ['filled', 'rejected', 'cancelled'])).toBe('rejected');
    expect(await waitForState(s.service, 'wi-ok', ['filled', 'rejected', 'cancelled'])).toBe('filled');
    expect((await s.service.store.load('wi-big'))?.context?.rejectReason).toMatch(/^whatIf margin: initial margin change \d+ exceeds the per-order cap 50000$/);
    expect(w.sim.ledger.byOrderRef('wi-big')).toEqual([]);
    expect(w.sim.orders().filter((o) => o.orderRef === 'wi-big')).toEqual([]);
    expect(w.sim.ledger.byOrderRef('wi-ok').reduce((n, e) => n + e.qty, 0)).toBe(1);
  });
});
