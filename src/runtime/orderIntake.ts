import { Queue } from 'bullmq';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { Redis } from 'ioredis';
import type { NamespaceKeys } from '../redis/namespaceKeys.ts';
import { ORDER_QUEUE_NAME, orderJobPriority, parseOrderJob } from '../orders/schema/index.ts';
import type { OrderJobSubmission } from '../admin/runtimeView.ts';
import { jobRetentionOptions } from '../orders/jobRetention.ts';

/**
 * Order intake through the admin API, on every node: jobs are validated and put on the
 * namespace's `orders` queue, whichever node holds the lease (a standby only enqueues; the active
 * node's order service takes them).
 */
export class OrderIntake {
  private producer: Queue | null;

  constructor(
    private readonly config: Config,
    redis: Redis,
    keys: NamespaceKeys,
    logger: Logger,
  ) {
    if (!config.orders.enabled) {
      this.producer = null;
      return;
    }
    this.producer = new Queue(ORDER_QUEUE_NAME, { connection: redis, prefix: keys.bullPrefix, defaultJobOptions: jobRetentionOptions(config.orders.jobRetention) });
    this.producer.on('error', (error: Error) => logger.debug('orders producer queue error', { error: error.message }));
  }

  async submit(job: unknown): Promise<OrderJobSubmission> {
    const producer = this.producer;
    if (!producer) {
      const why = this.config.orders.enabled ? 'order intake is stopping in this process' : 'orders are not running in this process (orders.enabled is false)';
      return { accepted: false, unavailable: why };
    }
    const parsed = parseOrderJob(job);
    if (!parsed.ok) return { accepted: false, errors: parsed.errors };
    const added = await producer.add('admin', job, { priority: orderJobPriority(parsed.job) });
    return { accepted: true, jobId: String(added.id), clientOrderId: parsed.job.clientOrderId };
  }

  async stop(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.close();
  }
}
