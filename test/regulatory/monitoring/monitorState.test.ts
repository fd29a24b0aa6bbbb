import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/log/logger.ts';
import { CloseDeadLetters } from '../../../src/regulatory/monitoring/closeDeadLetters.ts';
import { loadMonitorState } from '../../../src/regulatory/monitoring/monitorState.ts';
import { RedisPositionSource } from '../../../src/regulatory/sources/redisPositionSource.ts';
import { testRedis, uniquePrefix } from './monitoringKit.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const failure = (day: string, reason: string, failedAtMs: number) => ({ day, positions: [], reason, attempts: 3, refused: false, failedAtMs });

describe('what a monitor incarnation loads from Redis', () => {
  it('nothing on a first start', async () => {
    const prefix = uniquePrefix('state');
    const { redis, cleanup } = testRedis(prefix);
    cleanups.push(cleanup);
    const deadLetters = new CloseDeadLetters({ redis, logger: createSilentLogger(), prefix, retryMs: 50, closeAttempts: 3 });
    cleanups.push(() => deadLetters.stop());
    expect(await loadMonitorState({ positions: new RedisPositionSource(redis, `${prefix}:positions`), deadLetters })).toEqual({ lastClose: null, failedCloses: [] });
  });

  it('the last closed day, and each failed day not closed or replayed since, with its latest failure', async () => {
    const prefix = uniquePrefix('state');
    const { redis, cleanup } = testRedis(prefix);
    cleanups.push(cleanup);
    const positions = new RedisPositionSource(redis, `${prefix}:positions`);
    const deadLetters = new CloseDeadLetters({ redis, logger: createSilentLogger(), prefix, retryMs: 50, closeAttempts: 3 });
    cleanups.push(() => deadLetters.stop());
    deadLetters.record(failure('2025-03-03', 'first failure', 1));
    deadLetters.record(failure('2025-03-03', 'second failure', 2));
    deadLetters.record(failure('2025-03-04', 'closed since', 3));
    deadLetters.record(failure('2025-03-05', 'replayed', 4));
    await deadLetters.idle();
    const replayed = (await deadLetters.dlq.list()).find((letter) => letter.reason === 'replayed')!;
    await deadLetters.dlq.replay(replayed.id);
    await positions.recordClose('2025-03-04', [{ account: 'DU1', symbol: 'ZC', contractMonth: '202703', net: 3 }]);
    await positions.recordClose('2025-03-06', [
      { account: 'DU1', symbol: 'ZC', contractMonth: '202703', net: 300 },
      { account: 'DU2', symbol: 'ZC', contractMonth: '202703', net: -1 },
    ]);

    expect(await loadMonitorState({ positions, deadLetters })).toEqual({
      lastClose: { day: '2025-03-06', positions: 2, jobId: null },
      failedCloses: [{ day: '2025-03-03', reason: 'second failure', attempts: 3 }],
    });
  });
});
