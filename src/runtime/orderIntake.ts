import { Queue } from 'bullmq';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { Redis } from 'ioredis';
import type { NamespaceKeys } from '../redis/namespaceKeys.ts';
import { ORDER_QUEUE_NAME, orderJobPriority, parseOrderJob } from '../orders/schema/index.ts';
import type { OrderJobSubmission } from '../admin/runtimeView.ts';
import { jobRetentionOptions } from '../orders/jobRetention.ts';
import { OrderAdmission } from '../orders/orderAdmission.ts';
import type { OrderReads } from './orderReads.ts';
import { orderJobFields } from './orderJobFields.ts';
import { queueTelemetry } from '../tracing/index.ts';

/**
 * Order intake through the admin API, on every node: jobs are validated and put on the
 * namespace's `orders` queue, whichever node holds the lease (a standby only enqueues; the active
 * node's order service takes them). A new order goes on with its clientOrderId as the job id, once
 * (see OrderAdmission); a cancel or modify only for an order the namespace knows.
 */
export class OrderIntake {
  private producer: Queue | null;
  private readonly admission: OrderAdmission | null;

  constructor(
    private readonly config: Config,
    redis: Redis,
    keys: NamespaceKeys,
    logger: Logger,
    private readonly reads: Pick<OrderReads, 'summary'>,
  ) {
    if (!config.orders.enabled) {
      this.producer = null;
      this.admission = null;
      return;
    }
    // With tracing on, each add is a producer span whose context travels in the job to the order service's pickup span.
    this.producer = new Queue(ORDER_QUEUE_NAME, { connection: redis, prefix: keys.bullPrefix, defaultJobOptions: jobRetentionOptions(config.orders.jobRetention), ...queueTelemetry() });
    this.producer.on('error', (error: Error) => logger.debug('orders producer queue error', { error: error.message }));
    this.admission = new OrderAdmission({ queue: this.producer, summary: (clientOrderId) => reads.summary(clientOrderId) });
  }

  async submit(job: unknown): Promise<OrderJobSubmission> {
    const producer = this.producer;
    if (!producer || !this.admission) {
      const why = this.config.orders.enabled ? 'order intake is stopping in this process' : 'orders are not running in this process (orders.enabled is false)';
      return { accepted: false, unavailable: why };
    }
    const parsed = parseOrderJob(job);
    if (!parsed.ok) return { accepted: false, errors: parsed.errors, fields: orderJobFields(job) };
    const { clientOrderId } = parsed.job;
    const priority = orderJobPriority(parsed.job);
    if (parsed.job.type === 'new') {
      const admitted = await this.admission.submitNew(parsed.job, job, priority);
      return admitted.accepted ? { accepted: true, jobId: admitted.jobId, clientOrderId } : { accepted: false, duplicate: admitted.duplicate };
    }
    // Queued, a cancel or modify of an unknown id would only be dropped by intake later, unseen.
    if ((await this.reads.summary(clientOrderId)) === null) return { accepted: false, unknownOrder: `no order ${clientOrderId} is stored or queued in this namespace; nothing was queued` };
    const added = await producer.add('admin', job, { priority });
    return { accepted: true, jobId: String(added.id), clientOrderId };
  }

  async stop(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.close();
  }
}
