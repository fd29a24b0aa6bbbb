import { Queue } from 'bullmq';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { Redis } from 'ioredis';
import { namespaceKeys } from '../redis/namespaceKeys.ts';
import { ORDER_QUEUE_NAME, orderJobPriority, parseOrderJob } from '../orders/schema/index.ts';
import type { Runtime } from './runtime.ts';

/**
 * Order intake through the admin API, on every node: jobs are validated and put on the
 * namespace's `orders` queue, whichever node holds the lease (a standby only enqueues; the active
 * node's order service takes them).
 */
export function startOrderIntake(config: Config, runtime: Runtime, redis: Redis, logger: Logger): { stop(): Promise<void> } {
  if (!config.orders.enabled) return { stop: async () => undefined };
  const producer = new Queue(ORDER_QUEUE_NAME, { connection: redis, prefix: namespaceKeys(config.namespace).bullPrefix });
  producer.on('error', (error: Error) => logger.debug('orders producer queue error', { error: error.message }));
  runtime.orderIntake = async (job) => {
    const parsed = parseOrderJob(job);
    if (!parsed.ok) return { accepted: false, errors: parsed.errors };
    const added = await producer.add('admin', job, { priority: orderJobPriority(parsed.job) });
    return { accepted: true, jobId: String(added.id), clientOrderId: parsed.job.clientOrderId };
  };
  return {
    async stop() {
      runtime.orderIntake = null;
      await producer.close();
    },
  };
}
