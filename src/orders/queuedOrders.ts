import type { Job, Queue } from 'bullmq';
import { newOrderSchema } from './schema/index.ts';
import { issueMessages } from '../shared/zodIssues.ts';
import type { QueuedOrderJob } from './orderSummary.ts';

/**
 * The job id a new order goes on the `orders` queue with: its clientOrderId (as producers are told
 * to use), so a second add of the same order is the same job. BullMQ refuses an id that reads as an
 * integer (`12345`); such an order gets `order@12345`, which no clientOrderId can be (`@` is not in
 * their alphabet), so it never collides with another order's id.
 */
export function newOrderJobId(clientOrderId: string): string {
  return String(Number.parseInt(clientOrderId, 10)) === clientOrderId ? `order@${clientOrderId}` : clientOrderId;
}

/** A new order's job as the queue holds it: its data read as a new order, or null when it is not one for `clientOrderId`. */
function queuedOrderOf(job: Job | undefined, clientOrderId: string): QueuedOrderJob | null {
  if (!job) return null;
  const parsed = newOrderSchema.safeParse(job.data, { error: issueMessages });
  if (!parsed.success || parsed.data.clientOrderId !== clientOrderId) return null;
  return { order: parsed.data, addedAt: job.timestamp, failed: job.failedReason !== undefined && job.finishedOn !== undefined };
}

/** New orders on the `orders` queue, by clientOrderId (their job id): the ones no order service has stored yet. */
export class QueuedOrders {
  constructor(private readonly queue: Queue) {}

  async find(clientOrderId: string): Promise<QueuedOrderJob | null> {
    return queuedOrderOf(await this.queue.getJob(newOrderJobId(clientOrderId)), clientOrderId);
  }
}
