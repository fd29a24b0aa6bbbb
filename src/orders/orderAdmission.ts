import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { newOrderJobId } from './queuedOrders.ts';
import { queuedSummary, type OrderSummary } from './orderSummary.ts';
import type { NewOrder } from './schema/index.ts';

export type Admission = { accepted: true; jobId: string } | { accepted: false; duplicate: OrderSummary };

export interface OrderAdmissionOptions {
  /** The `orders` queue, as a producer. */
  queue: Queue;
  /** The order as the API shows it, stored or still queued; null when nobody knows the clientOrderId. */
  summary: (clientOrderId: string) => Promise<OrderSummary | null>;
}

/**
 * New orders from the admin API onto the `orders` queue, each clientOrderId once: one already
 * stored, or already waiting as a job, is answered as a duplicate with the order that holds it.
 *
 * The check and the add are two steps, so two requests can both pass the check. The add settles
 * it: the job id is the clientOrderId (`newOrderJobId`), and BullMQ keeps the first job of an id,
 * answering a later add as if it had added it. Each add therefore carries a name of its own
 * (`admin.<uuid>`); reading the job back tells whose it is, and the loser is a duplicate.
 *
 * What remains: a producer that puts the same clientOrderId on the queue under another job id is
 * not seen by either step (the order service's store still takes the order once: the later job
 * is a duplicate there, never sent); and a job taken, finished and trimmed between the add and the
 * read-back (retention keeps finished jobs a day) cannot be told apart, so it is answered accepted.
 */
export class OrderAdmission {
  constructor(private readonly options: OrderAdmissionOptions) {}

  /** Queues `payload` (the job as the producer sent it, already validated as `order`) unless its clientOrderId is known. */
  async submitNew(order: NewOrder, payload: unknown, priority: number): Promise<Admission> {
    const { queue, summary } = this.options;
    const known = await summary(order.clientOrderId);
    if (known) return { accepted: false, duplicate: known };
    const jobId = newOrderJobId(order.clientOrderId);
    const name = `admin.${randomUUID()}`;
    await queue.add(name, payload, { jobId, priority });
    const held = await queue.getJob(jobId);
    if (!held || held.name === name) return { accepted: true, jobId };
    // A job under this id that is not this order (a producer's own choice of id) took it all the same: ours was dropped.
    const winner = await summary(order.clientOrderId);
    return { accepted: false, duplicate: winner ?? queuedSummary({ order, addedAt: held.timestamp, failed: false }) };
  }
}
