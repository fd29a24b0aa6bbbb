import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { OrderFaultHooks } from '../../src/orders/orderFaultHooks.ts';
import { OrderStore } from '../../src/orders/orderStore.ts';
import { parseOrderJob } from '../../src/orders/schema/index.ts';
import { orderWorld, waitForState, orderJob, type Cleanup } from './orderWorld.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { waitUntil } from '../support/waitUntil.ts';
import type { OrderSpec } from '../../src/machines/orders/orderTypes.ts';
import { REDIS_URL } from '../support/redisUrl.ts';

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});


/** Live (working) broker orders and every broker order id the simulator ever saw for one orderRef. */
function atBroker(sim: Awaited<ReturnType<typeof orderWorld>>['sim'], orderRef: string) {
  const all = sim.orders().filter((o) => o.orderRef === orderRef);
  return { live: all.filter((o) => o.status === 'Submitted' || o.status === 'PreSubmitted').length, ids: new Set(all.map((o) => o.orderId)).size, all };
}

describe('exactly once at the broker across order-actor crashes (simulator over TCP, real Redis)', () => {
  it('a resting limit order whose actor crashes again and again stays one broker order, and its cancel leaves nothing live', async () => {
    const w = await orderWorld(cleanups);
    const hooks = new OrderFaultHooks();
    const s = await w.startService({ faultHooks: hooks });
    await s.service.whenTakingJobs();
    const limit = Math.floor(w.sim.price('ES') * 0.9);
    await w.queue.add('order', orderJob('rest-1', { orderType: 'LMT', limitPrice: limit }));
    expect(await waitForState(s.service, 'rest-1', ['working'])).toBe('working');

    for (let crash = 1; crash <= 6; crash += 1) {
      hooks.arm('rest-1');
      // The modify's transition runs the armed action: the actor throws, and its supervisor restarts it.
      await s.service.accept({ type: 'modify', clientOrderId: 'rest-1', limitPrice: limit - crash });
      await waitUntil(() => (s.tree.describe().children[0]?.children.find((c) => c.systemId === 'order:rest-1')?.restarts ?? 0) >= crash, `restart ${crash}`);
      expect(await waitForState(s.service, 'rest-1', ['working'])).toBe('working');
    }
    expect(atBroker(w.sim, 'rest-1')).toMatchObject({ live: 1, ids: 1 });

    await s.service.accept({ type: 'cancel', clientOrderId: 'rest-1' });
    expect(await waitForState(s.service, 'rest-1', ['cancelled'])).toBe('cancelled');
    expect(atBroker(w.sim, 'rest-1')).toMatchObject({ live: 0, ids: 1 });
    const stored = await s.service.store.load('rest-1');
    expect(stored?.sendAttempt).toBe(1);
  });

  it('an actor that crashes as it is about to send is restarted from the store and sends exactly once', async () => {
    const w = await orderWorld(cleanups);
    const hooks = new OrderFaultHooks();
    const s = await w.startService({ faultHooks: hooks });
    await s.service.whenTakingJobs();
    // Armed before it exists: its very first action (the write of `validating`) throws.
    hooks.arm('fresh-1');
    await w.queue.add('order', orderJob('fresh-1'));
    expect(await waitForState(s.service, 'fresh-1', ['filled'])).toBe('filled');
    expect(atBroker(w.sim, 'fresh-1').ids).toBe(1);
    expect(w.sim.ledger.byOrderRef('fresh-1').reduce((n, e) => n + e.qty, 0)).toBe(2);
  });

  it('a TWAP parent that crashes mid-schedule resumes from the store: every slice reaches the broker once and the parent fills', async () => {
    const w = await orderWorld(cleanups);
    const hooks = new OrderFaultHooks();
    const s = await w.startService({ faultHooks: hooks });
    await s.service.whenTakingJobs();
    await w.queue.add('order', orderJob('twap-1', { quantity: 3, algorithm: { kind: 'twap', slices: 3, durationMs: 3_000 } }));
    await waitUntil(async () => (await s.service.store.load('twap-1:t1'))?.state === 'filled', 'the first slice to fill');
    // The parent's next action (recording a slice fill or issuing the next slice) throws.
    hooks.arm('twap-1');
    expect(await waitForState(s.service, 'twap-1', ['filled', 'rejected', 'cancelled'])).toBe('filled');
    expect(s.tree.describe().children[0]!.children.find((c) => c.systemId === 'order:twap-1')).toBeUndefined();
    for (const slice of ['twap-1:t1', 'twap-1:t2', 'twap-1:t3']) expect(atBroker(w.sim, slice).ids).toBe(1);
    expect(atBroker(w.sim, 'twap-1').ids).toBe(0);
    const executed = ['twap-1:t1', 'twap-1:t2', 'twap-1:t3'].flatMap((id) => w.sim.ledger.byOrderRef(id)).reduce((n, e) => n + e.qty, 0);
    expect(executed).toBe(3);
    expect((await s.service.store.load('twap-1'))?.context?.filledQuantity).toBe(3);
    expect(hooks.armedCount).toBe(0);
  });

  it('an order created whose creation reply was lost (the job comes again as a duplicate) is started from the store, not stranded', async () => {
    const w = await orderWorld(cleanups);
    const s = await w.startService();
    await s.service.whenTakingJobs();
    // What a create whose reply was lost leaves: the order in the store, no actor anywhere.
    const spec: OrderSpec = { clientOrderId: 'lost-reply-1', account: 'DU1234567', symbol: 'ES', expiry: '202703', side: 'BUY', quantity: 2, orderType: 'MKT', timeInForce: 'DAY' };
    expect(await s.service.store.create(spec, Date.now())).toBe(true);
    const parsed = parseOrderJob(orderJob('lost-reply-1'));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect(await s.service.accept(parsed.job)).toEqual({ outcome: 'duplicate', clientOrderId: 'lost-reply-1' });
    expect(await waitForState(s.service, 'lost-reply-1', ['filled'])).toBe('filled');
    // A duplicate of a running or finished order changes nothing.
    expect(await s.service.accept(parsed.job)).toEqual({ outcome: 'duplicate', clientOrderId: 'lost-reply-1' });
    expect(atBroker(w.sim, 'lost-reply-1').ids).toBe(1);
  });

  it('a modify the pre-trade checks refuse leaves the working order unchanged and records why in its history', async () => {
    const w = await orderWorld(cleanups);
    const s = await w.startService({ limits: { maxOrderSize: { '*': 5 }, positionLimit: { '*': 50 } }, tickSizes: { ES: 0.25 } });
    await s.service.whenTakingJobs();
    const limit = Math.floor(w.sim.price('ES') * 0.9);
    await w.queue.add('order', orderJob('mod-1', { orderType: 'LMT', limitPrice: limit }));
    expect(await waitForState(s.service, 'mod-1', ['working'])).toBe('working');

    await s.service.accept({ type: 'modify', clientOrderId: 'mod-1', quantity: 6 });
    await s.service.accept({ type: 'modify', clientOrderId: 'mod-1', limitPrice: limit + 0.1 });
    let refusals: string[] = [];
    await waitUntil(async () => {
      refusals = (await s.service.audit.historyOf('mod-1')).filter((e) => e.record.kind === 'modifyRefused').map((e) => String((e.record as { reason?: string }).reason));
      return refusals.length === 2;
    }, 'two refused modifies in the audit trail');
    expect(refusals[0]).toMatch(/quantity 6 exceeds the maximum order size 5 for ES/);
    expect(refusals[1]).toMatch(/not on the 0.25 tick of ES/);
    const [broker] = atBroker(w.sim, 'mod-1').all;
    expect(broker).toMatchObject({ totalQuantity: 2, lmtPrice: limit });
    expect(await waitForState(s.service, 'mod-1', ['working'])).toBe('working');

    // A modify within the checks still goes through.
    await s.service.accept({ type: 'modify', clientOrderId: 'mod-1', quantity: 5 });
    await waitUntil(() => atBroker(w.sim, 'mod-1').all[0]?.totalQuantity === 5, 'the broker to hold the modified quantity');
  });

  it('positions are seeded from the broker before intake: a new process refuses an order that would pass the limit with what is already held', async () => {
    const w = await orderWorld(cleanups);
    const limits = { maxOrderSize: { '*': 20 }, positionLimit: { '*': 10 } };
    const first = await w.startService({ limits });
    await first.service.whenTakingJobs();
    await w.queue.add('order', orderJob('seed-1', { quantity: 9 }));
    expect(await waitForState(first.service, 'seed-1', ['filled'])).toBe('filled');
    await first.stop();

    // A new process knows nothing but what the broker says.
    const second = await w.startService({ limits });
    await w.queue.add('order', orderJob('seed-2', { quantity: 2 }));
    await w.queue.add('order', orderJob('seed-3', { quantity: 1 }));
    expect(await waitForState(second.service, 'seed-2', ['rejected', 'filled'])).toBe('rejected');
    expect((await second.service.store.load('seed-2'))?.context?.rejectReason).toMatch(/worst-case long position would be 11 \(position 9/);
    expect(await waitForState(second.service, 'seed-3', ['rejected', 'filled'])).toBe('filled');
  });
});

describe('the store allows one live send attempt per clientOrderId (recordSendAttempt-order-fence.lua, real Redis)', () => {
  const spec: OrderSpec = { clientOrderId: 'att-1', account: 'DU1', symbol: 'ES', side: 'BUY', quantity: 1, orderType: 'MKT', timeInForce: 'DAY' };

  it('property: an attempt is allowed only when none was made or the caller found the last one absent; a missing order is never sent', async () => {
    const redis = new Redis(REDIS_URL);
    cleanups.push(() => redis.disconnect());
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 12 }), async (claims) => {
        run += 1;
        const prefix = `test-attempts-${process.pid}-${run}`;
        const store = new OrderStore(redis, prefix);
        expect(await store.recordSendAttempt('att-1', 1, 0)).toEqual({ ok: false, reason: 'missing' });
        await store.create(spec, Date.now());
        let model = 0;
        for (const [i, claim] of claims.entries()) {
          const verdict = await store.recordSendAttempt('att-1', 100 + i, claim);
          if (model === 0 || claim === model) {
            model += 1;
            expect(verdict).toEqual({ ok: true, attempt: model });
          } else {
            expect(verdict).toEqual({ ok: false, reason: 'live', attempt: model });
          }
        }
        expect((await store.load('att-1'))?.sendAttempt).toBe(model);
        await deleteByPrefix(redis, `${prefix}:`);
      }),
      { numRuns: 40 },
    );
  });
});

describe('fills stored but not published (the fills outbox)', () => {
  async function filledOrderThenStop(id: string) {
    const w = await orderWorld(cleanups);
    const fills = new Queue('fills', { connection: w.redis, prefix: w.prefix });
    cleanups.push(() => fills.close());
    const first = await w.startService();
    await first.service.whenTakingJobs();
    await w.queue.add('order', orderJob(id));
    expect(await waitForState(first.service, id, ['filled'])).toBe('filled');
    const fillJobs = async () => (await fills.getJobs(['waiting', 'prioritized', 'delayed'])).filter((j) => j.name === 'fill' && j.data.clientOrderId === id);
    await waitUntil(async () => (await fillJobs()).length === 1 && (await first.service.store.load(id))?.publishedQuantity === 2, 'the fill published and marked');
    await first.stop();
    const key = `${w.prefix}:store:order:${id}`;
    const outbox = `${w.prefix}:store:fills:outbox`;
    return { w, fills, fillJobs, key, outbox };
  }

  it('a fill stored by a process killed before it reached the queue is published at the next start, once', async () => {
    const { w, fillJobs, key, outbox } = await filledOrderThenStop('outbox-1');
    // As if killed between the store write and the queue: no job, not marked, in the outbox.
    for (const j of await fillJobs()) await j.remove();
    await w.redis.hset(key, 'publishedQuantity', '0');
    await w.redis.sadd(outbox, 'outbox-1');
    const second = await w.startService();
    const jobs = await fillJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toMatchObject({ clientOrderId: 'outbox-1', quantity: 2, filledQuantity: 2, republished: true });
    expect(jobs[0]!.data.executions.reduce((n: number, e: { quantity: number }) => n + e.quantity, 0)).toBe(2);
    expect(await w.redis.sismember(outbox, 'outbox-1')).toBe(0);
    expect((await second.service.store.load('outbox-1'))?.publishedQuantity).toBe(2);
  });

  it('a publication that landed but was not marked is not published again (its job id is the same)', async () => {
    const { w, fillJobs, key, outbox } = await filledOrderThenStop('outbox-2');
    await w.redis.hset(key, 'publishedQuantity', '0');
    await w.redis.sadd(outbox, 'outbox-2');
    await w.startService();
    expect(await fillJobs()).toHaveLength(1);
    expect(await w.redis.sismember(outbox, 'outbox-2')).toBe(0);
  });
});
