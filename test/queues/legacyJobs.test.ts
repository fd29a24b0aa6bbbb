import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LEGACY_BULL_PREFIX, namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { pendingJobsUnder, warnOfLegacyJobs } from '../../src/queues/legacyJobs.ts';
import { createMemoryLogger } from '../admin/memoryLogger.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';

const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
// Queue names of this run only: the legacy prefix is BullMQ's shared default.
const run = randomBytes(5).toString('hex');
const waitingQueue = `legacy-orders-${run}`;
const doneQueue = `legacy-fills-${run}`;
afterAll(async () => {
  for (const queue of [waitingQueue, doneQueue]) await deleteByPrefix(redis, `${LEGACY_BULL_PREFIX}:${queue}:`);
  redis.disconnect();
});

const keyCount = async (prefix: string) => (await redis.keys(`${prefix}*`)).length;

describe('jobs left under the pre-namespace BullMQ prefix', () => {
  it('are counted by queue (waiting, prioritized, delayed), finished ones are not, and looking creates nothing', async () => {
    expect(await pendingJobsUnder(redis, LEGACY_BULL_PREFIX, [waitingQueue, doneQueue])).toEqual({});
    expect(await keyCount(`${LEGACY_BULL_PREFIX}:${waitingQueue}:`)).toBe(0);

    const legacy = new Queue(waitingQueue, { connection: redis, prefix: LEGACY_BULL_PREFIX });
    await legacy.add('order', { clientOrderId: 'old-1' });
    await legacy.add('order', { clientOrderId: 'old-2' }, { priority: 1 });
    await legacy.add('order', { clientOrderId: 'old-3' }, { delay: 60_000 });
    await legacy.close();
    const finished = new Queue(doneQueue, { connection: redis, prefix: LEGACY_BULL_PREFIX });
    const job = await finished.add('fill', { clientOrderId: 'old-1' });
    await finished.close();
    // Consumed long ago: what a worker's completion leaves (out of wait, into completed).
    await redis.multi().lrem(`${LEGACY_BULL_PREFIX}:${doneQueue}:wait`, 0, String(job.id)).zadd(`${LEGACY_BULL_PREFIX}:${doneQueue}:completed`, Date.now(), String(job.id)).exec();

    expect(await pendingJobsUnder(redis, LEGACY_BULL_PREFIX, [waitingQueue, doneQueue])).toEqual({ [waitingQueue]: 3 });
  });

  it('are named at start with where the runtime reads now, and what to do', async () => {
    const { logger, entries } = createMemoryLogger();
    const keys = namespaceKeys('paper-1');
    expect(await warnOfLegacyJobs(redis, logger, keys, [waitingQueue, doneQueue])).toEqual({ [waitingQueue]: 3 });
    const [line] = entries.filter((entry) => entry.level === 'error');
    expect(line).toMatchObject({ legacyPrefix: 'bull', prefix: 'paper-1:bull', pending: { [waitingQueue]: 3 } });
    expect(line?.action).toContain('prefix "paper-1:bull"');

    const quiet = createMemoryLogger();
    expect(await warnOfLegacyJobs(redis, quiet.logger, keys, [doneQueue])).toEqual({});
    expect(quiet.entries.filter((entry) => entry.level === 'error')).toEqual([]);
  });
});
