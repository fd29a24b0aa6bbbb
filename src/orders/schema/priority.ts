import type { OrderJob } from './orderJob.ts';

/**
 * BullMQ priorities for the `orders` queue: lower is sooner, FIFO within one priority. Every job
 * gets one, because BullMQ runs jobs *without* a priority (0) before all prioritized ones.
 *
 * - 10 cancel: taking risk off the book must never wait behind anything.
 * - 20 risk-reducing new order (the strategy sets `riskReducing`): closing beats opening.
 * - 30 modify: amends working orders before new risk is added.
 * - 40 new order that adds risk (or says nothing).
 *
 * Spaced by ten so a class can be slotted in later without renumbering: jobs already waiting in
 * Redis keep the numbers they were added with.
 */
export const ORDER_JOB_PRIORITY = {
  cancel: 10,
  riskReducing: 20,
  modify: 30,
  newRisk: 40,
} as const;

export function orderJobPriority(job: OrderJob): number {
  switch (job.type) {
    case 'cancel':
      return ORDER_JOB_PRIORITY.cancel;
    case 'modify':
      return ORDER_JOB_PRIORITY.modify;
    case 'new':
      return job.riskReducing === true ? ORDER_JOB_PRIORITY.riskReducing : ORDER_JOB_PRIORITY.newRisk;
  }
}
