import { describe, expect, it } from 'vitest';
import { spec, startOrder, type OrderWorld } from './orderMachineHarness.ts';
import type { OrderAlgorithm, OrderSpec } from '../../../src/machines/orders/orderTypes.ts';

const chase = (atDeadline: 'cross' | 'cancel', deadlineMs = 10_000): OrderAlgorithm => ({ kind: 'limitChase', repriceEveryMs: 1_000, deadlineMs, atDeadline });
const limitOrder = (algorithm: OrderAlgorithm, extra: Partial<OrderSpec> = {}): OrderSpec => ({ ...spec, limitPrice: 4_990, algorithm, ...extra });

async function working(world: OrderWorld, order: OrderSpec, elapsedMs = 0) {
  const o = startOrder(world, { order, tickSize: 0.25, elapsedMs });
  await o.settle();
  await o.settle();
  o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
  expect(o.actor.getSnapshot().value).toBe('working');
  return o;
}

/** Advances the simulated clock and lets the chase's quote read (a promise) settle. */
async function advance(o: Awaited<ReturnType<typeof working>>, ms: number) {
  o.clock.increment(ms);
  await o.settle();
  await o.settle();
}

describe('limit-chase (a child actor of the order)', () => {
  it('moves the limit to the touch every interval through the order’s own modify path', async () => {
    const world: OrderWorld = { touch: { bid: 5_000, ask: 5_000.5, last: 5_000.25, tsMs: 0 } };
    const o = await working(world, limitOrder(chase('cancel')));
    await advance(o, 999);
    expect(o.calls.modify).toBe(0);
    await advance(o, 1);
    expect(o.actor.getSnapshot().value).toBe('modifying');
    expect(o.actor.getSnapshot().context.pendingModify).toEqual({ limitPrice: 5_000 });
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    expect(o.actor.getSnapshot().context.order.limitPrice).toBe(5_000);
    // The touch moves up: the next round follows it; an unchanged touch changes nothing.
    await advance(o, 1_000);
    expect(o.calls.modify).toBe(1);
    world.touch = { bid: 5_001.25, ask: 5_001.5, last: 5_001.5, tsMs: 1 };
    await advance(o, 1_000);
    expect(o.calls.modify).toBe(2);
    expect(o.actor.getSnapshot().context.pendingModify).toEqual({ limitPrice: 5_001.25 });
  });

  it('at the deadline with atDeadline=cross, asks for a limit through the far touch; a fill then ends it', async () => {
    const world: OrderWorld = { touch: { bid: 4_990, ask: 4_990.25, last: 4_990, tsMs: 0 } };
    const o = await working(world, limitOrder(chase('cross', 3_000)));
    await advance(o, 3_000);
    expect(o.actor.getSnapshot().value).toBe('modifying');
    // Two ticks through the ask so it is marketable even if the ask ticks up on the way.
    expect(o.actor.getSnapshot().context.pendingModify).toEqual({ limitPrice: 4_990.75 });
    o.actor.send({ type: 'broker.acknowledged', status: 'Submitted' });
    o.actor.send({ type: 'broker.fill', fill: { execId: 'x1', quantity: 4, price: 4_990.25 } });
    expect(o.actor.getSnapshot().value).toBe('filled');
    expect(o.actor.getSnapshot().status).toBe('done');
  });

  it('a crossing limit the broker refuses at the deadline becomes a cancel: the deadline is honoured either way', async () => {
    const world: OrderWorld = { touch: { bid: 4_990, ask: 4_990.25, last: 4_990, tsMs: 0 } };
    const o = await working(world, limitOrder(chase('cross', 3_000)));
    await advance(o, 3_000);
    expect(o.actor.getSnapshot().value).toBe('modifying');
    o.actor.send({ type: 'broker.modifyRejected', code: 201, reason: 'refused' });
    expect(o.actor.getSnapshot().value).toBe('cancelling');
    await o.settle();
    expect(o.calls.cancel).toBe(1);
  });

  it('a reprice refused mid-chase changes nothing: the chase goes on', async () => {
    const world: OrderWorld = { touch: { bid: 5_000, ask: 5_000.5, last: 5_000.25, tsMs: 0 } };
    const o = await working(world, limitOrder(chase('cancel')));
    await advance(o, 1_000);
    expect(o.actor.getSnapshot().value).toBe('modifying');
    o.actor.send({ type: 'broker.modifyRejected', code: 201, reason: 'refused' });
    expect(o.actor.getSnapshot().value).toBe('working');
    await advance(o, 1_000);
    expect(o.actor.getSnapshot().value).toBe('modifying');
    expect(o.calls.cancel).toBe(0);
  });

  it('at the deadline with atDeadline=cancel, cancels the order', async () => {
    const world: OrderWorld = { touch: { bid: 4_990, ask: 4_990.25, last: 4_990, tsMs: 0 } };
    const o = await working(world, limitOrder(chase('cancel', 2_500)));
    await advance(o, 2_500);
    expect(o.actor.getSnapshot().value).toBe('cancelling');
    expect(o.calls.cancel).toBe(1);
    o.actor.send({ type: 'broker.cancelled' });
    expect(o.actor.getSnapshot().value).toBe('cancelled');
  });

  it('keeps its deadline across a restart: an order restored 2 s into a 3 s chase acts 1 s later', async () => {
    const world: OrderWorld = { touch: { bid: 4_990, ask: 4_990.25, last: 4_990, tsMs: 0 } };
    const o = await working(world, limitOrder(chase('cancel', 3_000)), 2_000);
    await advance(o, 999);
    expect(o.actor.getSnapshot().value).toBe('working');
    await advance(o, 1);
    expect(o.actor.getSnapshot().value).toBe('cancelling');
  });

  it('without any price it leaves the limit alone, and at a crossing deadline it cancels rather than guess', async () => {
    const o = await working({ touch: null }, limitOrder(chase('cross', 5_000)));
    await advance(o, 4_000);
    expect(o.calls.modify).toBe(0);
    await advance(o, 1_000);
    expect(o.actor.getSnapshot().value).toBe('cancelling');
  });

  it('stops chasing once the order is being cancelled', async () => {
    const world: OrderWorld = { touch: { bid: 5_000, ask: 5_000.25, last: 5_000, tsMs: 0 } };
    const o = await working(world, limitOrder(chase('cross')));
    o.actor.send({ type: 'CANCEL' });
    await advance(o, 5_000);
    expect(o.calls.modify).toBe(0);
    expect(Object.keys(o.actor.getSnapshot().children)).not.toContain('algo');
  });
});

const twap = (slices: number, durationMs: number): OrderAlgorithm => ({ kind: 'twap', slices, durationMs });

async function slicing(order: OrderSpec, input: Parameters<typeof startOrder>[1] = {}) {
  const o = startOrder({}, { order, ...input });
  await o.settle();
  expect(o.actor.getSnapshot().value).toBe('slicing');
  return o;
}

const sliceFill = (slice: number, execId: string, quantity: number, price = 5_000) => ({ type: 'child.fill' as const, childId: `c-1:t${slice}`, fill: { execId, quantity, price } });
const sliceDone = (slice: number, state: string) => ({ type: 'child.done' as const, childId: `c-1:t${slice}`, state });

describe('TWAP (N child orders over a duration)', () => {
  it('issues the slices evenly over the duration, never sends an order of its own, and fills from its slices', async () => {
    const o = await slicing({ ...spec, quantity: 10, orderType: 'MKT', limitPrice: undefined, algorithm: twap(4, 8_000) });
    expect(o.issued).toEqual([{ index: 0, quantity: 3 }]);
    o.clock.increment(1_999);
    expect(o.issued).toHaveLength(1);
    o.clock.increment(1);
    expect(o.issued.at(-1)).toEqual({ index: 1, quantity: 3 });
    o.clock.increment(2_000);
    o.clock.increment(2_000);
    expect(o.issued.map((s) => s.quantity)).toEqual([3, 3, 2, 2]);
    o.clock.increment(60_000);
    expect(o.issued).toHaveLength(4);
    expect(o.calls.submit).toBe(0);
    for (const [slice, quantity] of [[1, 3], [2, 3], [3, 2], [4, 2]] as const) {
      o.actor.send(sliceFill(slice, `e${slice}`, quantity, 5_000 + slice));
      // A replayed fill (after a restart) is applied once.
      o.actor.send(sliceFill(slice, `e${slice}`, quantity, 5_000 + slice));
    }
    expect(o.actor.getSnapshot().value).toBe('filled');
    expect(o.actor.getSnapshot().context.filledQuantity).toBe(10);
    expect(o.actor.getSnapshot().context.averagePrice).toBeCloseTo((3 * 5_001 + 3 * 5_002 + 2 * 5_003 + 2 * 5_004) / 10);
  });

  it('a cancel stops the schedule, cancels the open slices, and ends cancelled once they have ended', async () => {
    const o = await slicing({ ...spec, quantity: 4, orderType: 'MKT', limitPrice: undefined, algorithm: twap(4, 4_000) });
    o.clock.increment(1_000);
    o.actor.send(sliceFill(1, 'e1', 1));
    o.actor.send(sliceDone(1, 'filled'));
    o.actor.send({ type: 'CANCEL' });
    expect(o.actor.getSnapshot().value).toBe('cancellingSlices');
    expect(o.cancelledSlices).toEqual(['c-1:t2']);
    o.clock.increment(10_000);
    expect(o.issued).toHaveLength(2);
    o.actor.send(sliceDone(2, 'cancelled'));
    expect(o.actor.getSnapshot().value).toBe('cancelled');
    expect(o.actor.getSnapshot().context.filledQuantity).toBe(1);
  });

  it('ends rejected when every slice was rejected, naming why', async () => {
    const o = await slicing({ ...spec, quantity: 2, orderType: 'MKT', limitPrice: undefined, algorithm: twap(2, 2_000) });
    o.clock.increment(1_000);
    o.actor.send(sliceDone(1, 'rejected'));
    o.actor.send(sliceDone(2, 'rejected'));
    expect(o.actor.getSnapshot().value).toBe('rejected');
    expect(o.actor.getSnapshot().context.rejectReason).toMatch(/every TWAP slice/);
  });

  it('restored after a restart, it issues the slices that fell due while it was down at once, then keeps the original times', async () => {
    const o = await slicing(
      { ...spec, quantity: 5, orderType: 'MKT', limitPrice: undefined, algorithm: twap(5, 5_000) },
      { elapsedMs: 2_500, restored: { slicesIssued: 1, slices: { 'c-1:t1': 'open' } } },
    );
    // Slices 2 and 3 were due at 1 s and 2 s.
    expect(o.issued.map((s) => s.index)).toEqual([1, 2]);
    o.clock.increment(499);
    expect(o.issued).toHaveLength(2);
    o.clock.increment(1);
    expect(o.issued.map((s) => s.index)).toEqual([1, 2, 3]);
  });

  it('at the order deadline it cancels the open slices and ends expired', async () => {
    const o = await slicing({ ...spec, quantity: 3, orderType: 'MKT', limitPrice: undefined, algorithm: twap(3, 30_000) }, { deadlineInMs: 15_000 });
    o.clock.increment(15_000);
    expect(o.actor.getSnapshot().value).toBe('expiringSlices');
    expect(o.cancelledSlices).toEqual(['c-1:t1', 'c-1:t2']);
    o.actor.send(sliceDone(1, 'cancelled'));
    o.actor.send(sliceDone(2, 'cancelled'));
    expect(o.actor.getSnapshot().value).toBe('expired');
  });
});
