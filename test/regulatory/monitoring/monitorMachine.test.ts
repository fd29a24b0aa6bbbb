import fc from 'fast-check';
import { createActor, fromCallback, fromPromise, SimulatedClock, waitFor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createMonitorMachine } from '../../../src/machines/regulatory/monitorMachine';
import { monitorEventSchema, type AnnounceParams, type BrokerSeed, type CloseDayInput, type CloseDayOutput } from '../../../src/machines/regulatory/monitorTypes';
import type { ReportingFill } from '../../../src/regulatory/cftc/positions/reportingPositionBook';
import { shippedLevels } from './monitoringKit';

const instruments = shippedLevels().instruments;
const input = { instruments, seedRetryMs: 1_000, closeRetryMs: 5_000 };
const fill = (execId: string, side: 'BUY' | 'SELL', quantity: number, account = 'DU1', symbol = 'ZC'): ReportingFill => ({ execId, account, symbol, contractMonth: '202703', side, quantity });

/** The machine with in-memory I/O: a broker that fails `failures` times, a close that records what it was given. */
function world(options: { seed?: BrokerSeed; seedFailures?: number; closeFailures?: number } = {}) {
  const announced: AnnounceParams[] = [];
  const closes: CloseDayInput[] = [];
  let seedFailures = options.seedFailures ?? 0;
  let closeFailures = options.closeFailures ?? 0;
  const machine = createMonitorMachine({
    actors: {
      seed: fromPromise<BrokerSeed, void>(async () => {
        if (seedFailures-- > 0) throw new Error('broker snapshot incomplete after 10000 ms (positions missing)');
        return options.seed ?? { positions: [], includedExecIds: [] };
      }),
      closeDay: fromPromise<CloseDayOutput, CloseDayInput>(async ({ input: close }) => {
        closes.push(close);
        if (closeFailures-- > 0) throw new Error('redis down');
        return { day: close.day ?? '2025-03-03', positions: close.positions.length, jobId: 'job-1' };
      }),
      closeTimer: fromCallback(() => () => undefined),
    },
    announce: (params) => announced.push(params),
  });
  const clock = new SimulatedClock();
  const actor = createActor(machine, { input, clock }).start();
  return { actor, clock, announced, closes };
}

const kinds = (announced: AnnounceParams[]) => announced.filter((a) => !a.atSeed).flatMap((a) => a.crossings.map((c) => `${c.kind}:${c.account}:${c.net}`));

describe('regulatory monitor machine', () => {
  it('never reads a failed broker answer as empty: it retries, holding fills and closes until the seed is in', async () => {
    const w = world({ seedFailures: 1, seed: { positions: [{ account: 'DU1', symbol: 'ZC', contractMonth: '202703', net: 200 }], includedExecIds: ['e1'] } });
    await waitFor(w.actor, (s) => s.matches('seedWaiting'));
    expect(w.actor.getSnapshot().context.lastError).toMatch(/broker positions: broker snapshot incomplete/);
    // e1 is already in the broker's 200; e2 is new.
    w.actor.send({ type: 'FILL', fills: [fill('e1', 'BUY', 40), fill('e2', 'BUY', 60)] });
    w.actor.send({ type: 'CLOSE_DAY', day: '2025-03-03' });
    expect(w.closes).toEqual([]);
    expect(kinds(w.announced)).toEqual([]);

    w.clock.increment(1_000);
    await waitFor(w.actor, (s) => s.matches({ running: 'watching' }) && s.context.lastClose !== null);
    expect(kinds(w.announced)).toEqual(['reportable:DU1:260']);
    expect(w.closes).toEqual([{ day: '2025-03-03', positions: [{ account: 'DU1', symbol: 'ZC', contractMonth: '202703', net: 260 }] }]);
    expect(w.actor.getSnapshot().context.seedAttempts).toBe(2);
  });

  it('a position already reportable at the seed is announced as found at start, not as a crossing', async () => {
    const w = world({ seed: { positions: [{ account: 'DU1', symbol: 'ZC', contractMonth: '202703', net: 300 }], includedExecIds: [] } });
    await waitFor(w.actor, (s) => s.matches('running'));
    expect(w.announced).toEqual([{ atSeed: true, crossings: [expect.objectContaining({ kind: 'reportable', account: 'DU1', net: 300 })] }]);
    w.actor.send({ type: 'FILL', fills: [fill('s1', 'SELL', 100)] });
    expect(kinds(w.announced)).toEqual(['belowLevel:DU1:200']);
  });

  it('retries a failed close with the book as it stood at the close, while later fills keep moving the book', async () => {
    const w = world({ closeFailures: 1 });
    await waitFor(w.actor, (s) => s.matches('running'));
    w.actor.send({ type: 'FILL', fills: [fill('e1', 'BUY', 250)] });
    w.actor.send({ type: 'CLOSE_DAY', day: '2025-03-03' });
    await waitFor(w.actor, (s) => s.matches({ running: 'closeWaiting' }));
    w.actor.send({ type: 'FILL', fills: [fill('e2', 'SELL', 50)] });
    w.clock.increment(5_000);
    await waitFor(w.actor, (s) => s.context.lastClose !== null);
    expect(w.closes.map((c) => c.positions[0]!.net)).toEqual([250, 250]);
    expect(kinds(w.announced)).toEqual(['reportable:DU1:250', 'belowLevel:DU1:200']);
  });

  it('a timer close that already fired is not run twice; closes asked for during a close run after it', async () => {
    const w = world();
    await waitFor(w.actor, (s) => s.matches('running'));
    w.actor.send({ type: 'CLOSE_DAY', day: '2025-03-03', scheduledAtMs: 100 });
    w.actor.send({ type: 'CLOSE_DAY', day: '2025-03-03', scheduledAtMs: 100 });
    w.actor.send({ type: 'CLOSE_DAY', day: '2025-03-04' });
    await waitFor(w.actor, (s) => s.matches({ running: 'watching' }) && s.context.lastClose?.day === '2025-03-04');
    expect(w.closes.map((c) => c.day)).toEqual(['2025-03-03', '2025-03-04']);
  });

  it('injected events: only CLOSE_DAY, with an optional valid day', () => {
    expect(monitorEventSchema.safeParse({ type: 'CLOSE_DAY' }).success).toBe(true);
    expect(monitorEventSchema.safeParse({ type: 'CLOSE_DAY', day: '2025-03-03' }).success).toBe(true);
    expect(monitorEventSchema.safeParse({ type: 'CLOSE_DAY', day: '2025-02-30' }).success).toBe(false);
    expect(monitorEventSchema.safeParse({ type: 'FILL', fills: [] }).success).toBe(false);
  });

  it('alerts alternate per account and market, once per crossing, and end matching the positions (any fills, replays included)', async () => {
    const anyFill = fc.record({
      execId: fc.integer({ min: 1, max: 40 }).map((n) => `x${n}`),
      account: fc.constantFrom('DU1', 'DU2'),
      side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
      quantity: fc.integer({ min: 1, max: 200 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(anyFill, { maxLength: 30 }), async (fills) => {
        const w = world();
        await waitFor(w.actor, (s) => s.matches('running'));
        const applied = new Map<string, ReportingFill>();
        for (const f of fills) {
          const reporting = fill(f.execId, f.side, f.quantity, f.account);
          if (!applied.has(f.execId)) applied.set(f.execId, reporting);
          w.actor.send({ type: 'FILL', fills: [reporting] });
        }
        const last = new Map<string, string>();
        for (const crossing of w.announced.flatMap((a) => a.crossings)) {
          expect(last.get(crossing.account) ?? 'belowLevel').not.toBe(crossing.kind);
          last.set(crossing.account, crossing.kind);
        }
        for (const account of ['DU1', 'DU2']) {
          const net = [...applied.values()].filter((f) => f.account === account).reduce((n, f) => n + (f.side === 'BUY' ? f.quantity : -f.quantity), 0);
          expect(last.get(account) === 'reportable').toBe(Math.abs(net) >= 250);
        }
        w.actor.stop();
      }),
      { numRuns: 60 },
    );
  });
});
