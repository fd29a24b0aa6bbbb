import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OrderAction, OrderType, TimeInForce } from '@stoqey/ib';
import { IB_ACTIONS, IB_ORDER_TYPES, IB_TIMES_IN_FORCE, ibOrderFor, orderTypeOfIb, sideOfAction, timeInForceOfIb } from '../../../src/ib/parsing/orders.ts';
import { ORDER_TYPES, SIDES, TIMES_IN_FORCE } from '../../../src/orders/schema/orderTerms.ts';
import type { OrderSpec } from '../../../src/machines/orders/orderTypes.ts';

const ibOrderTypes: readonly string[] = Object.values(OrderType);
const ibActions: readonly string[] = Object.values(OrderAction);
const ibTimesInForce: readonly string[] = Object.values(TimeInForce);

describe('IB order tables', () => {
  it.each(SIDES)('side %s maps to an IB action of the same name and back', (side) => {
    expect(ibActions).toContain(IB_ACTIONS[side]);
    expect(IB_ACTIONS[side]).toBe(side);
    expect(sideOfAction(IB_ACTIONS[side])).toBe(side);
  });

  it.each(ORDER_TYPES)('order type %s maps to an IB order type and back', (orderType) => {
    expect(ibOrderTypes).toContain(IB_ORDER_TYPES[orderType]);
    expect(IB_ORDER_TYPES[orderType]).toBe(orderType);
    expect(orderTypeOfIb(IB_ORDER_TYPES[orderType])).toBe(orderType);
  });

  it.each(TIMES_IN_FORCE)('time in force %s maps to IB and back', (tif) => {
    expect(ibTimesInForce).toContain(IB_TIMES_IN_FORCE[tif]);
    expect(timeInForceOfIb(IB_TIMES_IN_FORCE[tif])).toBe(tif);
  });

  it('covers exactly the domain values the order schema accepts', () => {
    expect(Object.keys(IB_ACTIONS).sort()).toEqual([...SIDES].sort());
    expect(Object.keys(IB_ORDER_TYPES).sort()).toEqual([...ORDER_TYPES].sort());
    expect(Object.keys(IB_TIMES_IN_FORCE).sort()).toEqual([...TIMES_IN_FORCE].sort());
  });

  it('reads IB values tradewire never sends as unknown, not as a guess', () => {
    expect(sideOfAction(OrderAction.SSHORT)).toBeUndefined();
    expect(orderTypeOfIb(OrderType.TRAIL)).toBeUndefined();
    expect(timeInForceOfIb(TimeInForce.GTD)).toBeUndefined();
  });
});

const specArbitrary: fc.Arbitrary<OrderSpec> = fc.record(
  {
    clientOrderId: fc.string({ minLength: 1, maxLength: 64 }),
    account: fc.string({ minLength: 1, maxLength: 12 }),
    symbol: fc.constantFrom('ES', 'NQ', 'ZN', '6E'),
    side: fc.constantFrom(...SIDES),
    quantity: fc.integer({ min: 1, max: 1_000_000 }),
    orderType: fc.constantFrom(...ORDER_TYPES),
    limitPrice: fc.double({ noNaN: true, noDefaultInfinity: true }),
    stopPrice: fc.double({ noNaN: true, noDefaultInfinity: true }),
    timeInForce: fc.constantFrom(...TIMES_IN_FORCE),
  },
  { requiredKeys: ['clientOrderId', 'account', 'symbol', 'side', 'quantity', 'orderType', 'timeInForce'] },
);

describe('ibOrderFor', () => {
  it('property: the IB order reads back as the domain order it was built from', () => {
    fc.assert(
      fc.property(specArbitrary, (spec) => {
        const order = ibOrderFor(spec);
        expect(sideOfAction(order.action ?? '')).toBe(spec.side);
        expect(orderTypeOfIb(order.orderType ?? '')).toBe(spec.orderType);
        expect(timeInForceOfIb(order.tif ?? '')).toBe(spec.timeInForce);
        expect(order.totalQuantity).toBe(spec.quantity);
        expect(order.lmtPrice).toBe(spec.limitPrice);
        expect(order.auxPrice).toBe(spec.stopPrice);
        // The broker itself says whose an order is: orderRef carries the clientOrderId.
        expect(order.orderRef).toBe(spec.clientOrderId);
        expect(order.account).toBe(spec.account);
        expect(order.transmit).toBe(true);
      }),
    );
  });

  it('leaves prices out when the order has none (IB would read 0 as a price)', () => {
    const order = ibOrderFor({ clientOrderId: 'm-1', account: 'DU1', symbol: 'ES', side: 'SELL', quantity: 2, orderType: 'MKT', timeInForce: 'DAY' });
    expect('lmtPrice' in order).toBe(false);
    expect('auxPrice' in order).toBe(false);
  });
});
