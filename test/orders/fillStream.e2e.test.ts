import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/log/logger.ts';
import { FillStream, type FillStreamExecution } from '../../src/orders/fillStream.ts';
import { publishFillsOutbox } from '../../src/orders/fillsOutbox.ts';
import { DEFAULT_JOB_RETENTION, jobRetentionOptions } from '../../src/orders/jobRetention.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { orderJob, orderWorld, simulatorQuotes, waitForState, type Cleanup } from './orderWorld.ts';

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A world whose simulator fills one contract per matching pass and moves prices only when told. */
async function partialFillWorld() {
  const w = await orderWorld(cleanups, { simulator: { tickIntervalMs: 0, partialFills: { enabled: true, maxQtyPerFill: 1 } } });
  // The world's prefix stands in for a namespace: every key of it is removed after the test.
  const keys = namespaceKeys(w.prefix);
  const fillStream = { key: keys.fillStream, markerKey: keys.fillStreamMarker, maxLen: 1_000, dedupeWindowMs: 3_600_000 };
  const s = await w.startService({ fillStream, commissionWaitMs: 0 });
  return { w, s, keys, fillStream };
}

async function streamed(w: { redis: import('ioredis').Redis }, key: string): Promise<Record<string, string>[]> {
  const raw = await w.redis.xrange(key, '-', '+');
  return raw.map(([, f]) => Object.fromEntries(Array.from({ length: f.length / 2 }, (_, i) => [f[2 * i], f[2 * i + 1]])));
}

describe('fills stream through the order service (simulator over TCP, real Redis)', () => {
  it('a partially filled order: one entry per execution, at the simulator ledger’s own prices; replays through the outbox add nothing', async () => {
    const { w, s, keys, fillStream } = await partialFillWorld();
    const start = w.sim.price('ES');
    await w.queue.add('order', orderJob('pf-1', { quantity: 3 }));
    await waitUntil(() => w.sim.ledger.byOrderRef('pf-1').length === 1, 'first partial fill', 10_000);
    w.sim.setPrice('ES', start + 1);
    await waitUntil(() => w.sim.ledger.byOrderRef('pf-1').length === 2, 'second partial fill', 10_000);
    w.sim.setPrice('ES', start + 2);
    expect(await waitForState(s.service, 'pf-1', ['filled'])).toBe('filled');
    const ledger = w.sim.ledger.byOrderRef('pf-1');
    await waitUntil(async () => (await streamed(w, keys.fillStream)).filter((e) => e.type === 'fill').length === 3, 'three fill entries', 10_000);

    const fills = (await streamed(w, keys.fillStream)).filter((e) => e.type === 'fill');
    expect(fills.map((e) => [e.execId, Number(e.price), Number(e.quantity)])).toEqual(ledger.map((e) => [e.execId, e.price, e.qty]));
    expect(new Set(fills.map((e) => e.price)).size).toBe(3);
    for (const e of fills) expect(e).toMatchObject({ clientOrderId: 'pf-1', account: 'DU1234567', symbol: 'ES', contractMonth: '202703', side: 'BUY' });
    // Every execution's commission is in the stream once: on its fill entry or as its own entry.
    await waitUntil(async () => (await streamed(w, keys.fillStream)).filter((e) => e.type === 'commission' || e.commission !== undefined).length === 3, 'commissions', 10_000);
    const commissionsOf = (all: Record<string, string>[]) => all.filter((e) => e.type === 'commission' || e.commission !== undefined).map((e) => e.execId).sort();
    expect(commissionsOf(await streamed(w, keys.fillStream))).toEqual(ledger.map((e) => e.execId).sort());
    await waitUntil(async () => (await s.service.store.load('pf-1'))?.publishedQuantity === 3, 'published', 10_000);
    const before = await streamed(w, keys.fillStream);

    // A crash after the stream took the fills but before the outbox was cleared: the next start replays them.
    await w.redis.hset(`${w.prefix}:store:order:pf-1`, 'publishedQuantity', '0');
    await w.redis.sadd(`${w.prefix}:store:fills:outbox`, 'pf-1');
    const queue = new Queue('fills', { connection: w.redis, prefix: w.prefix });
    cleanups.push(() => queue.close());
    const stream = new FillStream(w.redis, { ...fillStream, logger: createSilentLogger() });
    expect(await publishFillsOutbox(s.service.store, queue, { stream, monthOf: () => '202703' })).toBe(1);
    // And the same publication invoked twice.
    await publishFillsOutbox(s.service.store, queue, { stream, monthOf: () => '202703' });
    const { type: _type, ...first } = fills[0]!;
    expect(await stream.appendExecutions([{ ...first, contractMonth: '202703', price: Number(first.price), quantity: Number(first.quantity) } as FillStreamExecution])).toEqual([false]);
    expect(await streamed(w, keys.fillStream)).toEqual(before);
    expect(await w.redis.sismember(`${w.prefix}:store:fills:outbox`, 'pf-1')).toBe(0);
  });

  it('fills that never reached the stream (a crash first) are appended from the outbox at the next start, once', async () => {
    const { w, s, keys } = await partialFillWorld();
    await w.queue.add('order', orderJob('pf-2', { quantity: 1 }));
    expect(await waitForState(s.service, 'pf-2', ['filled'])).toBe('filled');
    await waitUntil(async () => (await s.service.store.load('pf-2'))?.publishedQuantity === 1, 'published', 10_000);
    await s.stop();
    // As if the process died before its append: the stream and its markers lost it, the outbox still holds it.
    await w.redis.del(keys.fillStream, ...(await w.redis.keys(`${keys.fillStream}:exec:*`)));
    await w.redis.hset(`${w.prefix}:store:order:pf-2`, 'publishedQuantity', '0');
    await w.redis.sadd(`${w.prefix}:store:fills:outbox`, 'pf-2');
    const again = await w.startService({ fillStream: { key: keys.fillStream, markerKey: keys.fillStreamMarker, maxLen: 1_000, dedupeWindowMs: 3_600_000 } });
    const fills = (await streamed(w, keys.fillStream)).filter((e) => e.type === 'fill');
    expect(fills.map((e) => e.execId)).toEqual(w.sim.ledger.byOrderRef('pf-2').map((e) => e.execId));
    expect(fills[0]).toMatchObject({ clientOrderId: 'pf-2', contractMonth: '202703', price: String(w.sim.ledger.byOrderRef('pf-2')[0]!.price) });
    await again.stop();
  });

  it('a TWAP: each slice execution once, naming the parent the strategy sent; none for the parent, whose fills are the slices’', async () => {
    const w = await orderWorld(cleanups);
    const keys = namespaceKeys(w.prefix);
    const s = await w.startService({ quotes: simulatorQuotes(w.sim), fillStream: { key: keys.fillStream, markerKey: keys.fillStreamMarker, maxLen: 1_000, dedupeWindowMs: 3_600_000 } });
    await w.queue.add('order', orderJob('tw-s', { quantity: 3, algorithm: { kind: 'twap', slices: 3, durationMs: 3_000 } }));
    expect(await waitForState(s.service, 'tw-s', ['filled', 'rejected', 'cancelled'])).toBe('filled');
    const executions = ['tw-s:t1', 'tw-s:t2', 'tw-s:t3'].flatMap((ref) => w.sim.ledger.byOrderRef(ref));
    await waitUntil(async () => (await streamed(w, keys.fillStream)).filter((e) => e.type === 'fill').length === executions.length, 'slice fills', 10_000);
    const fills = (await streamed(w, keys.fillStream)).filter((e) => e.type === 'fill');
    expect(fills.map((e) => [e.execId, e.clientOrderId, e.parentClientOrderId, Number(e.price)])).toEqual(executions.map((e) => [e.execId, e.orderRef, 'tw-s', e.price]));
  });

  it('fills and orders jobs carry the retention options from one place; dead letters are not touched', async () => {
    expect(jobRetentionOptions()).toEqual({ removeOnComplete: { age: 86_400, count: 10_000 }, removeOnFail: { age: 7 * 86_400 } });
    expect(DEFAULT_JOB_RETENTION).toEqual({ completedAgeMs: 86_400_000, completedCount: 10_000, failedAgeMs: 7 * 86_400_000 });
    const w = await orderWorld(cleanups);
    // Keep no completed job at all, so the worker's retention shows on an orders job added without options.
    const jobRetention = { completedAgeMs: 60_000, completedCount: 0, failedAgeMs: 120_000 };
    const s = await w.startService({ jobRetention, commissionWaitMs: 0 });
    const added = await w.queue.add('order', orderJob('rt-1', { quantity: 1 }));
    expect(await waitForState(s.service, 'rt-1', ['filled'])).toBe('filled');
    await waitUntil(async () => (await w.queue.getJob(added.id!)) === undefined, 'completed orders job removed', 10_000);
    const fills = new Queue('fills', { connection: w.redis, prefix: w.prefix });
    cleanups.push(() => fills.close());
    await waitUntil(async () => (await fills.getJobs(['waiting'])).some((j) => j.name === 'fill'), 'fill job', 10_000);
    const job = (await fills.getJobs(['waiting'])).find((j) => j.name === 'fill')!;
    expect(job.opts).toMatchObject({ removeOnComplete: { age: 60, count: 0 }, removeOnFail: { age: 120 } });
    // A job that fails for good still becomes a dead letter (its own queue, kept until replayed or purged).
    const garbage = await w.queue.add('order', { not: 'an order' });
    const dead = new Queue('dead', { connection: w.redis, prefix: `${w.prefix}:orders` });
    cleanups.push(() => dead.close());
    await waitUntil(async () => (await dead.count()) === 1, 'dead letter', 10_000);
    const [letter] = await dead.getJobs(['waiting', 'completed', 'failed', 'delayed', 'prioritized']);
    expect(letter?.opts).toMatchObject({ removeOnComplete: false, removeOnFail: false });
    expect(JSON.stringify(letter?.data)).toContain(String(garbage.id));
  });
});
