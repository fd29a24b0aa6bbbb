import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { ORDER_JOB_PRIORITY, ORDER_QUEUE_NAME, orderJobPriority, parseOrderJob, type OrderJob } from '../../../src/orders/schema/index.ts';
import { validCancel, validLimitOrder, validMarketOrder, validModify } from './orderJobFixtures.ts';
import { REDIS_URL } from '../../support/redisUrl.ts';


function parsed(data: unknown): OrderJob {
  const result = parseOrderJob(data);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.job;
}

const newRisk = parsed(validLimitOrder); // riskReducing: false
const newRiskUnstated = parsed({ ...validLimitOrder, riskReducing: undefined, clientOrderId: 'unstated' });
const riskReducing = parsed(validMarketOrder); // riskReducing: true
const cancel = parsed(validCancel);
const modify = parsed(validModify);

describe('order job priorities', () => {
  it('cancels, then risk-reducing orders, then modifies, then new risk', () => {
    expect(orderJobPriority(cancel)).toBe(ORDER_JOB_PRIORITY.cancel);
    expect(orderJobPriority(riskReducing)).toBe(ORDER_JOB_PRIORITY.riskReducing);
    expect(orderJobPriority(modify)).toBe(ORDER_JOB_PRIORITY.modify);
    expect(orderJobPriority(newRisk)).toBe(ORDER_JOB_PRIORITY.newRisk);
    expect(orderJobPriority(newRiskUnstated)).toBe(ORDER_JOB_PRIORITY.newRisk);
    expect([10, 20, 30, 40]).toEqual([
      ORDER_JOB_PRIORITY.cancel,
      ORDER_JOB_PRIORITY.riskReducing,
      ORDER_JOB_PRIORITY.modify,
      ORDER_JOB_PRIORITY.newRisk,
    ]);
  });

  describe('on a real BullMQ queue', () => {
    const prefix = `test:orders:priority:${process.pid}:${Math.random().toString(36).slice(2)}`;
    const queue = new Queue(ORDER_QUEUE_NAME, { connection: { url: REDIS_URL }, prefix });
    afterAll(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });

    it('jobs added worst-first come out best-first, FIFO within a priority', async () => {
      const jobs = [newRisk, modify, newRiskUnstated, riskReducing, cancel];
      for (const [index, job] of jobs.entries()) {
        await queue.add(job.type, job, { priority: orderJobPriority(job), jobId: `job-${index}` });
      }
      const waiting = await queue.getPrioritized(0, -1);
      expect(waiting.map((job) => job.id)).toEqual(['job-4', 'job-3', 'job-1', 'job-0', 'job-2']);
    });
  });
});
