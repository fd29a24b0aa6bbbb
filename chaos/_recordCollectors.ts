import { QueueKeys, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { FILLS_QUEUE_NAME } from '../src/orders/fillAssembly.ts';
import { OrderStore } from '../src/orders/orderStore.ts';
import { namespaceKeys } from '../src/redis/namespaceKeys.ts';
import type { RuntimeRecords } from './_runtimeRecords.ts';

/** Reads every order the runtime has stored that is not final yet; run it often. (`namespace`: absent, the default one.) */
export async function readOrderStore(redis: Redis, records: RuntimeRecords, namespace?: string): Promise<void> {
  const store = new OrderStore(redis, namespaceKeys(namespace).ordersPrefix);
  const ids = (await store.recentOrderIds(1_000_000)).filter((id) => !records.settled.has(id));
  const loaded = await Promise.all(ids.map((id) => store.load(id)));
  ids.forEach((id, i) => {
    const stored = loaded[i];
    if (stored) records.noteStored(id, stored);
  });
}

/** The `fills` jobs still waiting or being handed out: published, but not yet seen by the consumer. */
export async function readPendingFills(redis: Redis, records: RuntimeRecords, namespace?: string): Promise<void> {
  // Plain reads, no BullMQ scripts: this also runs while every client's writes are paused.
  const names = new QueueKeys(namespaceKeys(namespace).bullPrefix);
  const keys = names.getKeys(FILLS_QUEUE_NAME);
  const ids = [...(await redis.lrange(keys.wait!, 0, -1)), ...(await redis.lrange(keys.active!, 0, -1)), ...(await redis.zrange(keys.prioritized!, '0', '-1'))];
  const jobs = await Promise.all(ids.map((id) => redis.hgetall(names.toKey(FILLS_QUEUE_NAME, id))));
  ids.forEach((id, i) => {
    const job = jobs[i];
    if (!job?.name || !job.data) return;
    try {
      records.notePublished(id, job.name, JSON.parse(job.data));
    } catch {
      // A job whose data is not JSON books nothing.
    }
  });
}

/**
 * The strategy's side of the `fills` queue: every fill job is recorded as it arrives. Completed jobs
 * are removed, so a fill published again (even under the same job id) is seen again.
 */
export function consumeFills(connection: Redis, records: RuntimeRecords, namespace?: string): Worker {
  const worker = new Worker(
    FILLS_QUEUE_NAME,
    async (job) => {
      records.notePublished(String(job.id), job.name, job.data);
    },
    { connection, prefix: namespaceKeys(namespace).bullPrefix, concurrency: 20, removeOnComplete: { count: 0 }, removeOnFail: { count: 0 } },
  );
  worker.on('error', () => undefined);
  return worker;
}
