import { createActor, SimulatedClock, waitFor } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitorLogic } from '../../../src/actors/regulatory/monitorActor.ts';
import { createSilentLogger } from '../../../src/log/logger.ts';
import { ContractMonthResolver } from '../../../src/regulatory/monitoring/contractMonthResolver.ts';
import { DEFAULT_REGULATORY_MONITOR_CONFIG } from '../../../src/regulatory/monitoring/monitoringConfig.ts';
import type { ReportRequest } from '../../../src/regulatory/reportTypes.ts';
import { RedisPositionSource } from '../../../src/regulatory/sources/redisPositionSource.ts';
import { shippedLevels, testRedis, uniquePrefix } from './monitoringKit.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('scheduled day close (simulated clock, real Redis)', () => {
  it('closes each weekday at 17:00 Chicago: records the book and enqueues the day\'s report due 9:00 Eastern the next business day', async () => {
    const prefix = uniquePrefix('timer');
    const { redis, cleanup } = testRedis(prefix);
    cleanups.push(cleanup);
    const positions = new RedisPositionSource(redis, prefix);
    const requests: ReportRequest[] = [];
    const logic = createMonitorLogic({
      brokerSnapshot: async () => ({ positions: [{ account: 'DU1', symbol: 'ZC', position: 300, lastTradeDateOrContractMonth: '20270312', localSymbol: 'ZC   MAR 27' }], executions: [] }),
      resolver: new ContractMonthResolver({
        contractMonthOf: async () => {
          throw new Error('no lookup expected: the broker position carries its contract');
        },
      }),
      positions,
      enqueue: () => async (request) => {
        requests.push(request);
        return { accepted: true, jobId: `job-${requests.length}` };
      },
      schedule: DEFAULT_REGULATORY_MONITOR_CONFIG,
      retentionYears: 5,
      logger: createSilentLogger(),
      announce: () => undefined,
    });
    const clock = new SimulatedClock();
    // Friday 2025-03-07, 16:59 in Chicago (CST, UTC-6).
    clock.set(Date.parse('2025-03-07T22:59:00Z'));
    const actor = createActor(logic, { clock, input: { instruments: shippedLevels().instruments, seedRetryMs: 1_000, closeRetryMs: 1_000, closeAttempts: 3 } }).start();
    cleanups.push(() => actor.stop());
    await waitFor(actor, (s) => s.matches('running'));
    expect(requests).toEqual([]);

    clock.increment(60_000);
    await waitFor(actor, (s) => s.context.lastClose?.day === '2025-03-07');
    expect(await positions.closingPositions('2025-03-07')).toEqual([{ account: 'DU1', symbol: 'ZC', contractMonth: '202703', net: 300 }]);
    // Monday 9:00 New York, which is on EDT (UTC-4) from Sunday 2025-03-09.
    expect(requests).toEqual([{ jurisdiction: 'CFTC', type: 'large_trader_positions', reportDate: '2025-03-07', deadline: '2025-03-10T13:00:00.000Z' }]);

    // The weekend has no close; the next is Monday's (CDT, UTC-5).
    await waitFor(actor, (s) => s.matches({ running: 'watching' }));
    clock.increment(Date.parse('2025-03-10T21:59:00Z') - clock.now());
    expect(requests).toHaveLength(1);
    clock.increment(60_000);
    await waitFor(actor, (s) => s.context.lastClose?.day === '2025-03-10');
    expect(requests.map((r) => r.reportDate)).toEqual(['2025-03-07', '2025-03-10']);
    expect(await positions.days()).toEqual(['2025-03-07', '2025-03-10']);
  });
});
