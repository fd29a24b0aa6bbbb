import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { OrderService } from '../../src/orders/orderService.ts';
import { DeadLetterQueue } from '../../src/queues/index.ts';
import { orderWorld, waitForState, orderJob } from './orderWorld.ts';
import { waitUntil } from '../support/waitUntil.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});


const world = () => orderWorld(cleanups);

const stateOf = async (service: OrderService, id: string) => (await service.store.load(id))?.state;

describe('orders end to end: queue → order actor → simulator → fills (real Redis, BullMQ, TCP)', () => {
  it('fills a market order, publishes the fill, and books it in the broker ledger under its orderRef', async () => {
    const w = await world();
    const s = await w.startService();
    cleanups.push(() => s.stop());
    const fills = new Queue('fills', { connection: w.redis, prefix: w.prefix });
    cleanups.push(() => fills.close());
    await w.queue.add('order', orderJob('mkt-1'));
    for (let i = 0; i < 200 && (await stateOf(s.service, 'mkt-1')) !== 'filled'; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(await stateOf(s.service, 'mkt-1')).toBe('filled');
    const ledger = w.sim.ledger.byOrderRef('mkt-1');
    expect(ledger.reduce((n, e) => n + e.qty, 0)).toBe(2);
    let published: string[] = [];
    for (let i = 0; i < 100 && !published.includes('mkt-1'); i += 1) {
      published = (await fills.getJobs(['waiting', 'delayed', 'prioritized'])).map((j) => j.data.clientOrderId as string);
      if (!published.includes('mkt-1')) await new Promise((r) => setTimeout(r, 20));
    }
    expect(published).toContain('mkt-1');
    // One job per fill, carrying its commission (IB reports it just after the execution): no separate commission job.
    const jobs = await fills.getJobs(['waiting', 'delayed', 'prioritized']);
    const fillJob = jobs.find((j) => j.name === 'fill' && j.data.clientOrderId === 'mkt-1')!;
    expect(fillJob.data.commission).toBeGreaterThan(0);
    expect(fillJob.data.commissionsPending).toBe(0);
    expect(fillJob.data.executions.map((e: { quantity: number }) => e.quantity).reduce((a: number, b: number) => a + b, 0)).toBe(2);
    expect(jobs.filter((j) => j.name === 'commission' && j.data.clientOrderId === 'mkt-1')).toEqual([]);
    let kinds: string[] = [];
    for (let i = 0; i < 100 && !kinds.includes('filled'); i += 1) {
      kinds = (await s.service.audit.historyOf('mkt-1')).map((e) => e.record.kind);
      if (!kinds.includes('filled')) await new Promise((r) => setTimeout(r, 20));
    }
    expect(kinds[0]).toBe('received');
    expect(kinds).toContain('sent');
    expect(kinds.at(-1)).toBe('filled');
    const sent = (await s.service.audit.historyOf('mkt-1')).find((e) => e.record.kind === 'sent')!.record as { gateway: string; tsMs: number };
    expect(sent.gateway).toBe(`127.0.0.1:${w.sim.address!.port}`);
  });

  it('a duplicate clientOrderId is acknowledged and changes nothing; an invalid job goes to orders:dead with the reason', async () => {
    const w = await world();
    const s = await w.startService();
    cleanups.push(() => s.stop());
    const first = await w.queue.add('order', orderJob('dup-1'));
    for (let i = 0; i < 200 && (await stateOf(s.service, 'dup-1')) !== 'filled'; i += 1) await new Promise((r) => setTimeout(r, 20));
    const second = await w.queue.add('order', orderJob('dup-1', { quantity: 5 }));
    for (let i = 0; i < 100 && !(await second.isCompleted()); i += 1) await new Promise((r) => setTimeout(r, 20));
    expect((await w.queue.getJob(second.id!))!.returnvalue).toEqual({ outcome: 'duplicate', clientOrderId: 'dup-1' });
    expect(await first.isCompleted()).toBe(true);
    expect(w.sim.ledger.byOrderRef('dup-1').reduce((n, e) => n + e.qty, 0)).toBe(2);

    await w.queue.add('order', { clientOrderId: 'bad-1', quantity: -3 });
    const dlq = new DeadLetterQueue('orders', { connection: w.redis, prefix: w.prefix });
    cleanups.push(() => dlq.close());
    for (let i = 0; i < 100 && (await dlq.count()) === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    const [dead] = await dlq.list();
    expect(dead?.error.message ?? JSON.stringify(dead)).toMatch(/quantity/);
  });

  it('cancels a resting limit order on a cancel job', async () => {
    const w = await world();
    const s = await w.startService();
    cleanups.push(() => s.stop());
    await w.queue.add('order', orderJob('lmt-1', { orderType: 'LMT', limitPrice: 100 }));
    for (let i = 0; i < 200 && (await stateOf(s.service, 'lmt-1')) !== 'working'; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(await stateOf(s.service, 'lmt-1')).toBe('working');
    await w.queue.add('cancel', { type: 'cancel', clientOrderId: 'lmt-1' }, { priority: 1 });
    for (let i = 0; i < 200 && (await stateOf(s.service, 'lmt-1')) !== 'cancelled'; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(await stateOf(s.service, 'lmt-1')).toBe('cancelled');
    expect(w.sim.ledger.byOrderRef('lmt-1')).toEqual([]);
  });

  /** A world whose first service got a resting limit order working at the broker, then stopped. */
  const restingLimitThenStop = async (id: string) => {
    const w = await world();
    const first = await w.startService();
    await w.queue.add('order', orderJob(id, { orderType: 'LMT', limitPrice: 100 }));
    expect(await waitForState(first.service, id, ['working'], 4_000)).toBe('working');
    await first.stop();
    return w;
  };

  it('after a restart, an open order comes back, is looked up at the broker (not resent), and keeps working', async () => {
    const w = await restingLimitThenStop('lmt-2');

    const second = await w.startService();
    cleanups.push(() => second.stop());
    await waitUntil(() => second.tree.get('order:lmt-2') !== undefined, 'order actor recovered', 2_000);
    for (let i = 0; i < 200 && (await stateOf(second.service, 'lmt-2')) !== 'working'; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(await stateOf(second.service, 'lmt-2')).toBe('working');
    expect(w.sim.orders().filter((o) => o.orderRef === 'lmt-2')).toHaveLength(1);
  });

  it('a crash after the bytes left but before any transition was stored: found at the broker by orderRef, not sent twice', async () => {
    const w = await restingLimitThenStop('lmt-3');
    // Nothing is written between the send and the socket: the store may hold only the creation.
    const key = `${w.prefix}:store:order:lmt-3`;
    await w.redis.hdel(key, 'context', 'ibOrderId');
    await w.redis.hset(key, 'state', 'received');

    const second = await w.startService();
    cleanups.push(() => second.stop());
    expect(await waitForState(second.service, 'lmt-3', ['working'], 10_000)).toBe('working');
    expect(w.sim.orders().filter((o) => o.orderRef === 'lmt-3')).toHaveLength(1);
    // The doubt record may land a moment after the state it follows.
    let history = await second.service.audit.historyOf('lmt-3');
    for (let i = 0; i < 100 && !history.some((entry) => entry.record.kind === 'inDoubt'); i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      history = await second.service.audit.historyOf('lmt-3');
    }
    expect(history.map((entry) => entry.record.kind)).toContain('inDoubt');
    expect(history.find((entry) => entry.record.kind === 'inDoubt')?.record).toMatchObject({ reason: expect.stringMatching(/restored after a restart/) });
  });
});

describe('modify through the queue', () => {
  it('reprices a resting limit order at the broker, which then fills it; the audit trail has the modification', async () => {
    const w = await world();
    const s = await w.startService();
    cleanups.push(() => s.stop());
    await w.queue.add('order', orderJob('mod-1', { orderType: 'LMT', limitPrice: 100 }));
    for (let i = 0; i < 200 && (await stateOf(s.service, 'mod-1')) !== 'working'; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(await stateOf(s.service, 'mod-1')).toBe('working');
    await w.queue.add('modify', { type: 'modify', clientOrderId: 'mod-1', limitPrice: 99_999 }, { priority: 30 });
    for (let i = 0; i < 200 && (await stateOf(s.service, 'mod-1')) !== 'filled'; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(await stateOf(s.service, 'mod-1')).toBe('filled');
    expect(w.sim.orders().filter((o) => o.orderRef === 'mod-1')).toHaveLength(1);
    const kinds = (await s.service.audit.historyOf('mod-1')).map((e) => e.record.kind);
    expect(kinds).toContain('modified');
  });
});
