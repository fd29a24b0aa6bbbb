import { Redis } from 'ioredis';
import { createActor, SimulatedClock, waitFor } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitorLogic } from '../../../src/actors/regulatory/monitorActor.ts';
import { createSilentLogger } from '../../../src/log/logger.ts';
import { CloseDeadLetters } from '../../../src/regulatory/monitoring/closeDeadLetters.ts';
import { ContractMonthResolver } from '../../../src/regulatory/monitoring/contractMonthResolver.ts';
import { DEFAULT_REGULATORY_MONITOR_CONFIG } from '../../../src/regulatory/monitoring/monitoringConfig.ts';
import type { ReportRequest } from '../../../src/regulatory/reportTypes.ts';
import { RedisPositionSource } from '../../../src/regulatory/sources/redisPositionSource.ts';
import { createMemoryLogger } from '../../admin/memoryLogger.ts';
import { startPrivateRedis } from '../../support/privateRedis.ts';
import { shippedLevels, testRedis, uniquePrefix } from './monitoringKit.ts';
import { waitUntil } from '../../support/waitUntil.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const RETRY_MS = 60_000;

describe('failed day closes (simulated clock, real Redis dead-letter queue)', () => {
  it('a day outside the window and a day whose report cannot be enqueued are dead-lettered with their reasons; the scheduled close still runs', async () => {
    const prefix = uniquePrefix('fail');
    const { redis, cleanup } = testRedis(prefix);
    cleanups.push(cleanup);
    const logs = createMemoryLogger();
    const deadLetters = new CloseDeadLetters({ redis, logger: createSilentLogger(), prefix, retryMs: RETRY_MS, closeAttempts: 3 });
    cleanups.push(() => deadLetters.stop());
    const requests: ReportRequest[] = [];
    const logic = createMonitorLogic({
      brokerSnapshot: async () => ({ positions: [{ account: 'DU1', symbol: 'ZC', position: 40, lastTradeDateOrContractMonth: '20270312', localSymbol: 'ZC   MAR 27' }], executions: [] }),
      resolver: new ContractMonthResolver({ contractMonthOf: async () => Promise.reject(new Error('no lookup expected')) }),
      positions: new RedisPositionSource(redis, `${prefix}:positions`),
      enqueue: () => async (request) => {
        // The reports queue refuses Thursday's request for as long as the test runs.
        if (request.reportDate === '2025-03-06') throw new Error('reports queue unavailable');
        requests.push(request);
        return { accepted: true, jobId: `job-${requests.length}` };
      },
      schedule: DEFAULT_REGULATORY_MONITOR_CONFIG,
      retentionYears: 5,
      logger: logs.logger,
      announce: () => undefined,
      deadLetterClose: (failure) => deadLetters.record(failure),
    });
    const clock = new SimulatedClock();
    // Friday 2025-03-07, 16:50 in Chicago (CST, UTC-6): the scheduled close is ten minutes away.
    clock.set(Date.parse('2025-03-07T22:50:00Z'));
    const actor = createActor(logic, { clock, input: { instruments: shippedLevels().instruments, seedRetryMs: 1_000, closeRetryMs: RETRY_MS, closeAttempts: 3 } }).start();
    cleanups.push(() => actor.stop());
    await waitFor(actor, (s) => s.matches('running'));

    // Sent straight to the actor, past the injection schema (as an internal sender or a replay would).
    actor.send({ type: 'CLOSE_DAY', day: '9999-12-31' });
    actor.send({ type: 'CLOSE_DAY', day: '2025-03-06' });
    await waitFor(actor, (s) => s.matches({ running: 'closeWaiting' }) && s.context.failedCloses.length === 1);

    // 17:00 comes while Thursday waits for its retries: the scheduled close runs, and so do the retries.
    for (let minute = 0; minute < 10; minute += 1) {
      clock.increment(RETRY_MS);
      await waitFor(actor, (s) => !s.matches({ running: 'closingDay' }));
    }
    await waitFor(actor, (s) => s.context.lastClose?.day === '2025-03-07' && s.context.failedCloses.length === 2);
    expect(requests.map((r) => r.reportDate)).toEqual(['2025-03-07']);
    expect(actor.getSnapshot().context.failedCloses).toEqual([
      { day: '9999-12-31', reason: 'day close refused: 9999-12-31 is after the next business day (2025-03-10); a day close may be asked for 2020-03-07 to 2025-03-10', attempts: 1 },
      { day: '2025-03-06', reason: 'large trader report for 2025-03-06 not enqueued: reports queue unavailable', attempts: 3 },
    ]);

    await deadLetters.idle();
    const stored = (await deadLetters.dlq.list()).sort((a, b) => a.jobId.localeCompare(b.jobId));
    expect(stored.map((r) => ({ day: (r.payload as { day: string }).day, kind: r.kind, attemptsMade: r.attemptsMade, reason: r.reason }))).toEqual([
      { day: '2025-03-06', kind: 'attempts_exhausted', attemptsMade: 3, reason: 'large trader report for 2025-03-06 not enqueued: reports queue unavailable' },
      { day: '9999-12-31', kind: 'unrecoverable', attemptsMade: 1, reason: expect.stringContaining('9999-12-31 is after the next business day') },
    ]);
    expect(stored[0]!.payload).toEqual({ day: '2025-03-06', positions: [{ account: 'DU1', symbol: 'ZC', contractMonth: '202703', net: 40 }] });
    expect(stored[0]!.id).toMatch(/^regulatory-close:dead:2025-03-06\./);

    const errors = logs.entries.filter((e) => e.level === 'error');
    expect(errors.map((e) => [e.message, e.day])).toEqual([
      ['regulatory day close failed and was dead-lettered; later closes go on', '9999-12-31'],
      ['regulatory day close failed and was dead-lettered; later closes go on', '2025-03-06'],
    ]);
  });

  it('a dead letter that cannot be written while Redis is down is kept, shown, and written once Redis is back', async () => {
    const server = await startPrivateRedis();
    cleanups.push(() => server.stop());
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    cleanups.push(() => redis.disconnect());
    const logs = createMemoryLogger();
    const deadLetters = new CloseDeadLetters({ redis, logger: logs.logger, prefix: 'test-close-failures:bull', retryMs: 50, closeAttempts: 3 });
    cleanups.push(() => deadLetters.stop());
    await server.stop();

    deadLetters.record({ day: '2025-03-06', positions: [], reason: 'close of 2025-03-06 not recorded: Connection is closed.', attempts: 3, refused: false, failedAtMs: 1 });
    await deadLetters.idle();
    expect(deadLetters.pending()).toEqual([{ day: '2025-03-06', reason: 'close of 2025-03-06 not recorded: Connection is closed.', attempts: 3, lastError: expect.any(String) }]);
    expect(logs.entries.filter((e) => e.level === 'error').map((e) => e.message)).toContain('failed day close not dead-lettered yet (Redis); trying again');

    await server.start();
    await waitUntil(() => deadLetters.pending().length === 0, 'the dead letter written');
    const [record] = await deadLetters.dlq.list();
    expect(record).toMatchObject({ queue: 'regulatory-close', reason: 'close of 2025-03-06 not recorded: Connection is closed.', payload: { day: '2025-03-06', positions: [] } });
  });
});
