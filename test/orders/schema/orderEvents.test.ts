import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokerEventSchema, MAX_ORDER_QUANTITY, modifyRequestSchema, orderEventSchema, parseOrderJob } from '../../../src/orders/schema/index.ts';

const isPrice = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isQuantity = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= MAX_ORDER_QUANTITY;

/** Values a hand-written or hostile modify carries: good numbers, bad numbers, numbers as text, nothing. */
const fieldValue = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: -5, max: 2_000_000 }),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.25, '5000', 'abc', '', null, true, [], {}),
);
const changes = fc.record({ quantity: fieldValue, limitPrice: fieldValue, stopPrice: fieldValue }, { requiredKeys: [] });

/** What the grammar says, independently of zod: each given field well-formed, and at least one given. */
function acceptable(c: Record<string, unknown>): boolean {
  const given = Object.entries(c).filter(([, v]) => v !== undefined);
  if (given.length === 0) return false;
  return given.every(([key, value]) => (key === 'quantity' ? isQuantity(value) : isPrice(value)));
}

describe('a modify: the order event (admin) and the modify job (queue, API, CLI) agree', () => {
  it('is accepted exactly when every given term is well-formed and at least one is given', () => {
    fc.assert(
      fc.property(changes, (c) => {
        const expected = acceptable(c);
        expect(orderEventSchema.safeParse({ type: 'MODIFY', ...c }).success).toBe(expected);
        expect(modifyRequestSchema.safeParse({ type: 'modify', clientOrderId: 'o-1', ...c }).success).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    [{ limitPrice: 'abc' }, 'limitPrice: expected number, got "abc"'],
    [{ limitPrice: '5000' }, 'limitPrice: expected number, got "5000"'],
    [{ stopPrice: null }, 'stopPrice: expected number, got null'],
    [{ quantity: -3 }, 'quantity: must be positive'],
    [{ quantity: 2.5 }, 'quantity: must be a whole number of contracts'],
    [{ quantity: 3, account: 'DU1' }, 'account: unknown field'],
  ])('a modify job %j is refused naming the field', (c, line) => {
    const parsed = parseOrderJob({ type: 'modify', clientOrderId: 'o-1', ...c });
    expect(parsed).toEqual({ ok: false, errors: [line] });
  });

  it('refuses non-finite prices (JSON reads 1e999 as Infinity)', () => {
    for (const limitPrice of [JSON.parse('1e999') as number, -Infinity, NaN]) {
      expect(parseOrderJob({ type: 'modify', clientOrderId: 'o-1', limitPrice }).ok).toBe(false);
      expect(orderEventSchema.safeParse({ type: 'MODIFY', limitPrice }).success).toBe(false);
    }
  });

  it('CANCEL takes an optional reason and nothing else', () => {
    expect(orderEventSchema.safeParse({ type: 'CANCEL' }).success).toBe(true);
    expect(orderEventSchema.safeParse({ type: 'CANCEL', reason: 'ops' }).success).toBe(true);
    expect(orderEventSchema.safeParse({ type: 'CANCEL', reason: '' }).success).toBe(false);
    expect(orderEventSchema.safeParse({ type: 'CANCEL', filledQuantity: 5 }).success).toBe(false);
  });
});

describe('broker events (injectable only in testing, against the simulator)', () => {
  const fill = { execId: 'e-1', quantity: 2, price: 5000.25 };

  it.each([
    [{ type: 'broker.fill', fill }],
    [{ type: 'broker.fill', fill: { ...fill, commission: -0.1 } }],
    [{ type: 'broker.submitted', ibOrderId: 0 }],
    [{ type: 'broker.acknowledged', status: 'Submitted' }],
    [{ type: 'broker.cancelled' }],
    [{ type: 'broker.rejected', code: 201, reason: 'margin' }],
    [{ type: 'broker.cancelFailed', code: 10147, reason: 'not found' }],
    [{ type: 'broker.modifyRejected', code: 10148, reason: 'too late' }],
    [{ type: 'broker.commission', execId: 'e-1', commission: 2.05 }],
  ])('accepts %j', (event) => {
    expect(brokerEventSchema.safeParse(event).success).toBe(true);
  });

  it.each([
    [{ type: 'broker.fill', fill: { ...fill, price: 'abc' } }],
    [{ type: 'broker.fill', fill: { ...fill, quantity: -1 } }],
    [{ type: 'broker.fill', fill: { ...fill, quantity: 0.5 } }],
    [{ type: 'broker.fill', fill: { ...fill, execId: '' } }],
    [{ type: 'broker.fill', fill, orderId: 7 }],
    [{ type: 'broker.fill' }],
    [{ type: 'broker.submitted', ibOrderId: -1 }],
    [{ type: 'broker.rejected', code: 201 }],
    [{ type: 'broker.commission', execId: 'e-1', commission: NaN }],
    [{ type: 'broker.bogus' }],
  ])('refuses %j', (event) => {
    expect(brokerEventSchema.safeParse(event).success).toBe(false);
  });
});
