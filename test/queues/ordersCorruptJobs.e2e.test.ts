import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadLetterQueue } from '../../src/queues/index.ts';
import type { OrderService } from '../../src/orders/orderService.ts';
import { orderWorld, waitForState, type Cleanup } from '../orders/orderWorld.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { deepArrays, writeRawJob } from './rawJobs.ts';

/**
 * The running order service (its own BullMQ worker and dead-lettering, the simulator over TCP)
 * given jobs a corrupting client wrote straight into Redis: each ends in orders:dead with a
 * reason, none stays in `active`, and a valid order after them still fills.
 */

const cleanups: Cleanup[] = [];
let w: Awaited<ReturnType<typeof orderWorld>>;
let dlq: DeadLetterQueue;
let service: OrderService;

beforeAll(async () => {
  w = await orderWorld(cleanups);
  dlq = new DeadLetterQueue('orders', { connection: w.redis, prefix: w.prefix });
  cleanups.push(() => dlq.close());
  ({ service } = await w.startService());
});

afterAll(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('raw-corrupt jobs on the orders queue of a running service', () => {
  it('non-JSON data, non-JSON opts and 100k-deep data all end in orders:dead; the next valid order fills', async () => {
    const at = { prefix: w.prefix, queue: 'orders' };
    await writeRawJob(w.redis, at, 'raw-data', { data: '{"clientOrderId":"x",' });
    await writeRawJob(w.redis, at, 'raw-opts', { data: '{}', opts: '{attempts:3}' });
    await writeRawJob(w.redis, at, 'raw-deep', { data: deepArrays(100_000) });

    await waitUntil(async () => (await dlq.count()) === 3, 'three dead letters', 15_000);
    expect((await dlq.get('raw-data'))).toMatchObject({ kind: 'corrupt', raw: { data: '{"clientOrderId":"x",' } });
    expect((await dlq.get('raw-data'))?.reason).toMatch(/^corrupt job: data is not JSON/);
    expect((await dlq.get('raw-opts'))?.reason).toMatch(/^corrupt job: opts is not JSON/);
    const deep = await dlq.get('raw-deep');
    expect(deep).toMatchObject({ kind: 'unrecoverable', payload: null });
    expect(deep?.raw?.data).toHaveLength(200_000);
    expect(deep?.reason).toBe('invalid payload: (root): expected object, got array');
    await waitUntil(async () => (await w.queue.getJobCountByTypes('active', 'failed')) === 0, 'nothing left in active or failed');

    await w.queue.add('order', {
      clientOrderId: 'after-corrupt-1',
      account: 'DU1234567',
      instrument: { symbol: 'ES', expiry: '202703' },
      side: 'BUY',
      quantity: 1,
      orderType: 'MKT',
      strategy: 'corrupt-jobs',
    });
    expect(await waitForState(service, 'after-corrupt-1', ['filled'])).toBe('filled');
  });
});
