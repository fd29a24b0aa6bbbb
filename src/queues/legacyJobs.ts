import { QueueKeys } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import { LEGACY_BULL_PREFIX, type NamespaceKeys } from '../redis/namespaceKeys.ts';

/** Jobs not finished yet (waiting, prioritized, delayed, paused or taken) of each queue that has any. */
export async function pendingJobsUnder(redis: Redis, prefix: string, queues: readonly string[]): Promise<Record<string, number>> {
  const names = new QueueKeys(prefix);
  const pipeline = redis.pipeline();
  for (const queue of queues) {
    const keys = names.getKeys(queue);
    pipeline.llen(keys.wait!).zcard(keys.prioritized!).zcard(keys.delayed!).llen(keys.paused!).llen(keys.active!);
  }
  const replies = (await pipeline.exec()) ?? [];
  const pending: Record<string, number> = {};
  queues.forEach((queue, index) => {
    const total = replies.slice(index * 5, index * 5 + 5).reduce((sum, [error, count]) => sum + (error ? 0 : Number(count)), 0);
    if (total > 0) pending[queue] = total;
  });
  return pending;
}

/**
 * Queues live under the namespace's prefix; before namespaces they used BullMQ's default `bull`.
 * Jobs an older version left there are never taken by this one, so they are named at start (an
 * order job there was never processed) rather than forgotten. Reads only: nothing is created.
 */
export async function warnOfLegacyJobs(redis: Redis, logger: Logger, keys: NamespaceKeys, queues: readonly string[]): Promise<Record<string, number>> {
  const pending = await pendingJobsUnder(redis, LEGACY_BULL_PREFIX, queues).catch(() => ({}) as Record<string, number>);
  if (Object.keys(pending).length > 0) {
    logger.error('jobs wait under the pre-namespace BullMQ prefix and will not be taken: this version reads queues under the namespace prefix', {
      legacyPrefix: LEGACY_BULL_PREFIX,
      prefix: keys.bullPrefix,
      pending,
      action: `drain them with the previous version, or resubmit them (clientOrderIds are idempotent); fills consumers must read queue "fills" with prefix "${keys.bullPrefix}"`,
    });
  }
  return pending;
}
