import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { orderWorld, simulatorQuotes, waitForState, type Cleanup } from './orderWorld.ts';

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const base = { account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, strategy: 'test' };

describe('execution algorithms against the simulator (real TCP, Redis, BullMQ)', () => {
  it('TWAP: three slices go to the broker as three orders under the parent’s id; the parent fills from them', async () => {
    const w = await orderWorld(cleanups);
    const s = await w.startService({ quotes: simulatorQuotes(w.sim) });
    const fills = new Queue('fills', { connection: w.redis, prefix: w.prefix });
    cleanups.push(() => fills.close());
    await w.queue.add('order', { ...base, clientOrderId: 'tw-1', side: 'BUY', quantity: 5, orderType: 'MKT', algorithm: { kind: 'twap', slices: 3, durationMs: 3_000 } });
    expect(await waitForState(s.service, 'tw-1', ['filled', 'cancelled', 'rejected'])).toBe('filled');
    const refs = ['tw-1:t1', 'tw-1:t2', 'tw-1:t3'];
    expect(refs.map((ref) => w.sim.ledger.byOrderRef(ref).reduce((n, e) => n + e.qty, 0))).toEqual([2, 2, 1]);
    expect(w.sim.ledger.byOrderRef('tw-1')).toEqual([]);
    const parent = await s.service.store.load('tw-1');
    expect(parent?.context?.filledQuantity).toBe(5);
    expect(parent?.context?.fills?.length).toBe(3);
    // Slices are spread over the duration, not sent at once (a lower bound only: it cannot be early).
    const sentAt = await Promise.all(refs.map(async (ref) => (await s.service.audit.historyOf(ref)).find((e) => e.record.kind === 'sent')?.record.tsMs ?? 0));
    // Taken before the parent's actor (and its schedule) starts; the sent records are stamped after sending.
    const receivedAt = (await s.service.store.load('tw-1'))!.receivedAt;
    expect(sentAt[2]! - receivedAt).toBeGreaterThanOrEqual(1_990);
    expect(s.service.positions.position('DU1234567', 'ES')).toBe(5);
    // Fills are published after the state is written: wait for the parent's last one.
    let jobs = await fills.getJobs(['waiting', 'prioritized', 'delayed']);
    for (let i = 0; i < 200 && !jobs.some((j) => j.name === 'fill' && j.data.filledQuantity === 5); i += 1) {
      await new Promise((r) => setTimeout(r, 25));
      jobs = await fills.getJobs(['waiting', 'prioritized', 'delayed']);
    }
    // The strategy sees fills of the order it sent; a slice's late commission says whose slice it is.
    expect(new Set(jobs.filter((j) => j.name === 'fill').map((j) => j.data.clientOrderId))).toEqual(new Set(['tw-1']));
    for (const job of jobs.filter((j) => j.name === 'commission' && j.data.clientOrderId !== 'tw-1')) expect(job.data.parentClientOrderId).toBe('tw-1');
    const history = await s.service.audit.historyOf('tw-1');
    expect(history.map((e) => e.record.kind)).toContain('received');
    expect(history.at(-1)?.record.kind).toBe('filled');
  });

  it('limit-chase: the working order is repriced by IB modifies (one broker order) and crosses at its deadline', async () => {
    const w = await orderWorld(cleanups);
    const s = await w.startService({ quotes: simulatorQuotes(w.sim) });
    const below = Math.round(w.sim.price('ES') * 0.97);
    await w.queue.add('order', {
      ...base,
      clientOrderId: 'ch-1',
      side: 'BUY',
      quantity: 2,
      orderType: 'LMT',
      limitPrice: below,
      algorithm: { kind: 'limitChase', repriceEveryMs: 250, deadlineMs: 1_500, atDeadline: 'cross' },
    });
    expect(await waitForState(s.service, 'ch-1', ['filled', 'cancelled', 'rejected'])).toBe('filled');
    const executions = w.sim.ledger.byOrderRef('ch-1');
    expect(executions.reduce((n, e) => n + e.qty, 0)).toBe(2);
    expect(new Set(executions.map((e) => e.orderId)).size).toBe(1);
    const kinds = (await s.service.audit.historyOf('ch-1')).map((e) => e.record.kind);
    expect(kinds).toContain('modified');
    // Filled well above where it started: the chase moved it to the market.
    expect(executions[0]!.price).toBeGreaterThan(below);
  });

  it('TWAP across a restart: the new process resumes the schedule, and no slice reaches the broker twice', async () => {
    const w = await orderWorld(cleanups);
    const first = await w.startService({ quotes: simulatorQuotes(w.sim) });
    await w.queue.add('order', { ...base, clientOrderId: 'tw-r', side: 'SELL', quantity: 4, orderType: 'MKT', algorithm: { kind: 'twap', slices: 4, durationMs: 4_000 } });
    for (let i = 0; i < 400 && w.sim.ledger.byOrderRef('tw-r:t2').length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    await first.stop();
    const second = await w.startService({ quotes: simulatorQuotes(w.sim) });
    expect(await waitForState(second.service, 'tw-r', ['filled', 'cancelled', 'rejected'])).toBe('filled');
    for (const ref of ['tw-r:t1', 'tw-r:t2', 'tw-r:t3', 'tw-r:t4']) {
      const executions = w.sim.ledger.byOrderRef(ref);
      expect(executions.reduce((n, e) => n + e.qty, 0)).toBe(1);
      expect(new Set(executions.map((e) => e.orderId)).size).toBe(1);
    }
    expect((await second.service.store.load('tw-r'))?.context?.filledQuantity).toBe(4);
  });
});
