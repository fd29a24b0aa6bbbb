/** `orders.jobRetention` in the config: how long finished `orders` and `fills` jobs stay in Redis. */
export interface JobRetention {
  /** Completed jobs are kept while younger than this AND among the last `completedCount`. */
  completedAgeMs: number;
  completedCount: number;
  /** Failed jobs (not the dead letters, which are a queue of their own) are kept this long. */
  failedAgeMs: number;
}

export const DEFAULT_JOB_RETENTION: JobRetention = { completedAgeMs: 24 * 3_600_000, completedCount: 10_000, failedAgeMs: 7 * 24 * 3_600_000 };

/**
 * The BullMQ options that apply the retention, for a Queue's `defaultJobOptions` (every producer)
 * and a Worker's own options (jobs added by producers that set none). BullMQ counts ages in seconds
 * and trims when a later job finishes, so a quiet queue keeps its last jobs a little longer.
 */
export function jobRetentionOptions(retention: JobRetention = DEFAULT_JOB_RETENTION) {
  return {
    removeOnComplete: { age: Math.ceil(retention.completedAgeMs / 1000), count: retention.completedCount },
    removeOnFail: { age: Math.ceil(retention.failedAgeMs / 1000) },
  };
}
