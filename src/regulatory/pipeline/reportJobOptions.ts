import type { JobsOptions } from 'bullmq';
import type { ReportRequest } from '../reportTypes.ts';
import { deadlinePriority } from './reportPriority.ts';
import { reportJobId } from './reportJobId.ts';

export interface ReportRetryPolicy {
  /** Attempts per job, the first included. */
  attempts: number;
  /** Delay before the first retry; doubled for each one after (BullMQ exponential backoff). */
  backoffMs: number;
}

export const DEFAULT_RETRY_POLICY: ReportRetryPolicy = { attempts: 5, backoffMs: 30_000 };

/**
 * How a report job is added: a deterministic id (the same request twice is one job), a priority
 * from its deadline, and retries with exponential backoff. Finished jobs are kept for a while so
 * their ids keep deduplicating re-sent requests; the ledger covers the rest.
 */
export function reportJobOptions(request: ReportRequest, policy: ReportRetryPolicy = DEFAULT_RETRY_POLICY): JobsOptions {
  return {
    jobId: reportJobId(request),
    priority: deadlinePriority(request.deadline),
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    removeOnComplete: { age: 7 * 24 * 3_600, count: 10_000 },
    // Failed jobs go to `reports:dead`; the dead-letter move removes them from the failed set.
    removeOnFail: false,
  };
}
