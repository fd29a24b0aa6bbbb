import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import type { DeadLetterRecord } from '../../src/queues/index.ts';
import { ReportReads } from '../../src/runtime/reportReads.ts';
import type { SupervisionTree } from '../../src/supervision/supervisionTree.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

const NOW = Date.parse('2026-12-07T15:00:00Z');
const request = (reportDate: string, deadline: string) => ({ jurisdiction: 'CFTC', type: 'large-trader', reportDate, deadline });

/** Jobs of the `reports` queue by state, as BullMQ hands them out. */
const JOBS: Record<string, object[]> = {
  completed: [
    {
      id: 'r-1',
      data: request('2026-12-03', '2026-12-04T14:00:00Z'),
      timestamp: NOW - 3 * 86_400_000,
      finishedOn: NOW - 3 * 86_400_000 + 60_000,
      returnvalue: { outcome: 'acknowledged', filed: [{ reportId: 'x', reference: 'f', alreadyFiled: false, ack: { status: 'accepted', reportId: 'x', receivedAt: '' } }] },
    },
  ],
  failed: [],
  delayed: [{ id: 'r-2', data: request('2026-12-04', '2026-12-07T14:00:00Z'), timestamp: NOW - 86_400_000, processedOn: NOW - 60_000, failedReason: 'outbox not writable' }],
  waiting: [{ id: 'r-3', data: request('2026-12-06', '2026-12-09T14:00:00Z'), timestamp: NOW - 1_000 }],
  active: [],
  prioritized: [],
};

function reads(breakerState: string | undefined) {
  const config = loadConfig({ env: SIM_CLOCK_ENV });
  const queue = { getJobs: async ([state]: string[]) => JOBS[state!] ?? [] } as unknown as Queue;
  const tree = { get: (id: string) => (id === 'report-breaker:CFTC' && breakerState ? { getSnapshot: () => ({ status: 'active', value: breakerState }) } : undefined) } as unknown as SupervisionTree;
  const dead: Partial<DeadLetterRecord>[] = [{ jobId: 'r-0', payload: request('2026-12-02', '2026-12-03T14:00:00Z'), deadLetteredAt: NOW - 4 * 86_400_000, reason: 'rejected by the CFTC' }];
  return new ReportReads({ config, tree, queue, deadLetters: async () => dead as DeadLetterRecord[], now: () => NOW });
}

describe('ReportReads', () => {
  it('lists filings newest first with their status and acknowledgement, the earliest deadline not met, and the transport from its breaker', async () => {
    const view = await reads('open').read();
    expect(view.filings).toEqual([
      { id: 'r-3', report: 'CFTC large-trader', date: '2026-12-06', status: 'waiting', filedAt: null, acknowledgement: null },
      { id: 'r-2', report: 'CFTC large-trader', date: '2026-12-04', status: 'delayed', filedAt: null, acknowledgement: null },
      { id: 'r-1', report: 'CFTC large-trader', date: '2026-12-03', status: 'filed', filedAt: new Date(NOW - 3 * 86_400_000 + 60_000).toISOString(), acknowledgement: 'accepted' },
      { id: 'r-0', report: 'CFTC large-trader', date: '2026-12-02', status: 'dead', filedAt: null, acknowledgement: null },
    ]);
    // r-2 is due (overdue, even) before the next day close's file.
    expect(view.nextDeadline).toEqual({ report: 'CFTC large-trader 2026-12-04', due: '2026-12-07T14:00:00.000Z' });
    expect(view.transports).toEqual([{ name: 'CFTC (file)', health: 'down', lastError: 'outbox not writable' }]);
  });

  it('says unknown for a transport whose breaker does not run here (a standby)', async () => {
    expect((await reads(undefined).read()).transports).toEqual([{ name: 'CFTC (file)', health: 'unknown', lastError: 'outbox not writable' }]);
    expect((await reads('closed').read()).transports[0]!.health).toBe('healthy');
    expect((await reads('halfOpen').read()).transports[0]!.health).toBe('recovering');
  });
});
