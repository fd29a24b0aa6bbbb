import { describe, expect, it } from 'vitest';
import { spec, startOrder } from './orderMachineHarness.ts';

const fill = (execId: string, quantity: number, price = 5_000) => ({ type: 'broker.fill' as const, fill: { execId, quantity, price, commission: 2.25 * quantity } });

describe('order lifecycle', () => {
  it('received → validating → submitting → working → partiallyFilled → filled', async () => {
    const o = startOrder();
    await o.settle();
    expect(o.actor.getSnapshot().value).toBe('submitting');
    await o.settle();
    expect(o.actor.getSnapshot().context.ibOrderId).toBe(100);
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    o.actor.send(fill('e1', 1, 4_990));
    o.actor.send(fill('e2', 3, 5_010));
    // Checks and the gate are synchronous: an order that may go passes validating within one step
    // (still written), and is never recorded as held.
    expect(o.persisted).toEqual(['validating', 'submitting', 'working', 'partiallyFilled', 'filled']);
    const { context } = o.actor.getSnapshot();
    expect(context.filledQuantity).toBe(4);
    expect(context.averagePrice).toBeCloseTo(5_005);
    expect(context.commission).toBeCloseTo(9);
  });

  it('applies a duplicated execution once', async () => {
    const o = startOrder();
    await o.settle();
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    o.actor.send(fill('e1', 2));
    o.actor.send(fill('e1', 2));
    expect(o.actor.getSnapshot().context.filledQuantity).toBe(2);
    expect(o.actor.getSnapshot().value).toBe('partiallyFilled');
  });

  it('a failed pre-trade check rejects without sending', async () => {
    const o = startOrder({ checksPass: false });
    await o.settle();
    expect(o.actor.getSnapshot().value).toBe('rejected');
    expect(o.actor.getSnapshot().context.rejectReason).toMatch(/position limit/);
    expect(o.calls.submit).toBe(0);
  });

  it('is held, not sent, while the connection cannot take orders', async () => {
    const o = startOrder({ held: true });
    await o.settle();
    expect(o.actor.getSnapshot().value).toBe('holding');
    expect(o.calls.submit).toBe(0);
    o.openGate();
    await o.settle();
    expect(o.calls.submit).toBe(1);
  });

  it('a broker rejection ends it as rejected with the code', async () => {
    const o = startOrder();
    await o.settle();
    o.actor.send({ type: 'broker.rejected', code: 201, reason: 'insufficient margin' });
    expect(o.actor.getSnapshot().value).toBe('rejected');
    expect(o.actor.getSnapshot().context.rejectReason).toBe('201: insufficient margin');
  });

  it('cancel race: a cancel requested as the last fill lands ends filled', async () => {
    const o = startOrder();
    await o.settle();
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    o.actor.send(fill('e1', 1));
    o.actor.send({ type: 'CANCEL' });
    expect(o.actor.getSnapshot().value).toBe('cancelling');
    o.actor.send(fill('e2', 3));
    expect(o.actor.getSnapshot().value).toBe('filled');
  });

  it('cancel refused because already filled (10148) waits for the fill and ends filled', async () => {
    const o = startOrder();
    await o.settle();
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    o.actor.send({ type: 'CANCEL' });
    o.actor.send({ type: 'broker.cancelFailed', code: 10148, reason: 'already filled' });
    expect(o.actor.getSnapshot().value).toBe('working');
    o.actor.send(fill('e1', 4));
    expect(o.actor.getSnapshot().value).toBe('filled');
  });

  it('cancel confirmed ends cancelled; a partial fill before it is kept', async () => {
    const o = startOrder();
    await o.settle();
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    o.actor.send(fill('e1', 1));
    o.actor.send({ type: 'CANCEL' });
    o.actor.send({ type: 'broker.cancelled' });
    expect(o.actor.getSnapshot().value).toBe('cancelled');
    expect(o.actor.getSnapshot().context.filledQuantity).toBe(1);
  });

  it('a deadline cancels the working order and ends it expired', async () => {
    const o = startOrder({}, { deadlineInMs: 10_000 });
    await o.settle();
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    o.clock.increment(9_999);
    expect(o.actor.getSnapshot().value).toBe('working');
    o.clock.increment(1);
    expect(o.actor.getSnapshot().value).toBe('expiring');
    await o.settle();
    expect(o.calls.cancel).toBe(1);
    o.actor.send({ type: 'broker.cancelled' });
    expect(o.actor.getSnapshot().value).toBe('expired');
  });

  it('no acknowledgement: in doubt, looked up by orderRef; found working, never resent', async () => {
    const o = startOrder();
    await o.settle();
    o.clock.increment(1_000);
    expect(o.actor.getSnapshot().value).toBe('inDoubt');
    await o.settle();
    expect(o.calls.lookup).toBe(1);
    o.actor.send({ type: 'reconcile.found', ibOrderId: 100, status: 'Submitted', filledQuantity: 1, fills: [{ execId: 'e1', quantity: 1, price: 5_000 }] });
    expect(o.actor.getSnapshot().value).toBe('partiallyFilled');
    expect(o.calls.submit).toBe(1);
  });

  it('in doubt and unknown to the broker: sent again (it cannot be a duplicate)', async () => {
    const o = startOrder();
    await o.settle();
    o.clock.increment(1_000);
    o.actor.send({ type: 'reconcile.notFound' });
    await o.settle();
    expect(o.calls.submit).toBe(2);
    expect(o.actor.getSnapshot().value).toBe('submitting');
  });

  it('a cancel before anything was sent ends cancelled with nothing at the broker', async () => {
    const o = startOrder({ held: true });
    await o.settle();
    o.actor.send({ type: 'CANCEL' });
    expect(o.actor.getSnapshot().value).toBe('cancelled');
    expect(o.calls.submit).toBe(0);
    expect(spec.quantity).toBe(4);
  });
});

describe('restored orders', () => {
  it('an order restored after it was sent is looked up first, never sent again', async () => {
    const o = startOrder({}, { restored: { ibOrderId: 100, filledQuantity: 0, sendAttempt: 1 } });
    await o.settle();
    expect(o.actor.getSnapshot().value).toBe('inDoubt');
    expect(o.calls.lookup).toBe(1);
    expect(o.calls.submit).toBe(0);
    o.clock.increment(1_000);
    await o.settle();
    expect(o.calls.lookup).toBe(2);
  });

  it('an order restored with a send attempt but no broker id in its context is looked up: its bytes may have left', async () => {
    // The attempt is written before the send, the context after: a crash between leaves only the attempt.
    const o = startOrder({}, { restored: { filledQuantity: 0, sendAttempt: 1 } });
    await o.settle();
    expect(o.actor.getSnapshot().value).toBe('inDoubt');
    expect(o.calls.submit).toBe(0);
    o.actor.send({ type: 'reconcile.found', ibOrderId: 100, status: 'Submitted', filledQuantity: 0, fills: [] });
    expect(o.actor.getSnapshot().value).toBe('working');
    expect(o.calls.submit).toBe(0);
  });

  it('an order restored with no send attempt recorded was never sent: checked again and sent, with no lookup', async () => {
    const o = startOrder({}, { restored: { filledQuantity: 0, sendAttempt: 0 } });
    await o.settle();
    expect(o.calls.lookup).toBe(0);
    expect(o.calls.submit).toBe(1);
    expect(o.actor.getSnapshot().context.sendAttempt).toBe(1);
  });

  it('a send the store refuses (an earlier attempt may be live) is looked up, and sent only once the broker shows it absent', async () => {
    const o = startOrder({ storedAttempts: 1 });
    await o.settle();
    expect(o.calls.refused).toBe(1);
    expect(o.calls.submit).toBe(0);
    expect(o.actor.getSnapshot().value).toBe('inDoubt');
    expect(o.calls.lookup).toBe(1);
    o.actor.send({ type: 'reconcile.notFound' });
    await o.settle();
    expect(o.calls.submit).toBe(1);
    expect(o.actor.getSnapshot().context).toMatchObject({ sendAttempt: 2, absentAttempt: 1 });
  });

  it('restored and unknown to the broker: checked again, then sent', async () => {
    const o = startOrder({}, { restored: { filledQuantity: 0, sendAttempt: 1 } });
    await o.settle();
    o.actor.send({ type: 'reconcile.notFound' });
    await o.settle();
    expect(o.persisted.slice(-2)).toEqual(['validating', 'submitting']);
    expect(o.calls.submit).toBe(1);
  });

  it('restored, unknown to the broker, and refused by the checks now: rejected, never sent', async () => {
    const o = startOrder({ checksPass: false }, { restored: { filledQuantity: 0, sendAttempt: 1 } });
    await o.settle();
    o.actor.send({ type: 'reconcile.notFound' });
    await o.settle();
    expect(o.actor.getSnapshot().value).toBe('rejected');
    expect(o.calls.submit).toBe(0);
  });
});

describe('cancel before the broker has the order', () => {
  it('is held until the acknowledgement, then sent: it cannot overtake its order', async () => {
    const o = startOrder();
    await o.settle();
    o.actor.send({ type: 'CANCEL' });
    expect(o.actor.getSnapshot().value).toBe('submitting');
    expect(o.calls.cancel).toBe(0);
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    expect(o.actor.getSnapshot().value).toBe('cancelling');
    await o.settle();
    expect(o.calls.cancel).toBe(1);
  });

  it('a "not found" answer (10147) does not forget the cancel: it is sent again', async () => {
    const o = startOrder();
    await o.settle();
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    o.actor.send({ type: 'CANCEL' });
    await o.settle();
    o.actor.send({ type: 'broker.cancelFailed', code: 10147, reason: 'not found' });
    expect(o.actor.getSnapshot().value).toBe('cancelling');
    o.clock.increment(500);
    await o.settle();
    expect(o.calls.cancel).toBe(2);
  });
});

describe('modify', () => {
  it('sends the change, takes it on the broker acknowledgement, and drops it on a refusal', async () => {
    const o = startOrder();
    await o.settle();
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    o.actor.send({ type: 'MODIFY', limitPrice: 5_010 });
    expect(o.actor.getSnapshot().value).toBe('modifying');
    await o.settle();
    expect(o.calls.modify).toBe(1);
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    expect(o.actor.getSnapshot().value).toBe('working');
    expect(o.actor.getSnapshot().context.order.limitPrice).toBe(5_010);

    o.actor.send({ type: 'MODIFY', limitPrice: 4_000 });
    o.actor.send({ type: 'broker.modifyRejected', code: 134, reason: 'Modify order failed' });
    expect(o.actor.getSnapshot().value).toBe('working');
    expect(o.actor.getSnapshot().context.order.limitPrice).toBe(5_010);
  });

  it('cannot ask for less than is already filled', async () => {
    const o = startOrder();
    await o.settle();
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    o.actor.send({ type: 'broker.fill', fill: { execId: 'e1', quantity: 3, price: 5_000 } });
    o.actor.send({ type: 'MODIFY', quantity: 2 });
    expect(o.actor.getSnapshot().value).toBe('partiallyFilled');
    expect(o.calls.modify).toBe(0);
  });
});

describe('order deadline (a timer child started with the order)', () => {
  it('runs from receipt: modifications on the way do not restart it', async () => {
    const o = startOrder({}, { deadlineInMs: 5_000 });
    await o.settle();
    await o.settle();
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    o.clock.increment(3_000);
    o.actor.send({ type: 'MODIFY', limitPrice: 4_999 });
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    expect(o.actor.getSnapshot().value).toBe('working');
    o.clock.increment(2_000);
    expect(o.actor.getSnapshot().value).toBe('expiring');
    o.actor.send({ type: 'broker.cancelled' });
    expect(o.actor.getSnapshot().value).toBe('expired');
  });

  it('held (never sent) when the deadline passes: expired without a cancel', async () => {
    const o = startOrder({ held: true }, { deadlineInMs: 1_000 });
    await o.settle();
    o.clock.increment(1_000);
    expect(o.actor.getSnapshot().value).toBe('expired');
    expect(o.calls.submit + o.calls.cancel).toBe(0);
  });

  it('passing while the broker has not acknowledged: the order is cancelled as soon as it has', async () => {
    const o = startOrder({}, { deadlineInMs: 500 });
    await o.settle();
    await o.settle();
    expect(o.actor.getSnapshot().value).toBe('submitting');
    o.clock.increment(500);
    expect(o.actor.getSnapshot().value).toBe('submitting');
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    expect(o.actor.getSnapshot().value).toBe('expiring');
    expect(o.calls.cancel).toBe(1);
  });

  it('passing while in doubt, and the broker never saw it: expired, never sent', async () => {
    // A submission with no acknowledgement is looked up; the deadline passes meanwhile.
    const o = startOrder({}, { deadlineInMs: 1_500 });
    await o.settle();
    o.clock.increment(1_000);
    expect(o.actor.getSnapshot().value).toBe('inDoubt');
    o.clock.increment(500);
    o.actor.send({ type: 'reconcile.notFound' });
    await o.settle();
    expect(o.actor.getSnapshot().value).toBe('expired');
    expect(o.calls.submit).toBe(1);
    expect(o.calls.cancel).toBe(0);
  });

  it('restored past its deadline and unknown to the broker: expired, never sent', async () => {
    const o = startOrder({}, { deadlineInMs: -1, restored: { filledQuantity: 0, sendAttempt: 1 } });
    await o.settle();
    o.clock.increment(0);
    o.actor.send({ type: 'reconcile.notFound' });
    await o.settle();
    expect(o.actor.getSnapshot().value).toBe('expired');
    expect(o.calls.submit).toBe(0);
  });

  it('an order without a deadline schedules nothing while it works', async () => {
    const o = startOrder();
    await o.settle();
    await o.settle();
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    expect(o.actor.getSnapshot().value).toBe('working');
    expect(Object.keys(o.actor.system.getSnapshot()._scheduledEvents)).toEqual([]);
  });
});
