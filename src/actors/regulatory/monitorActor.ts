import { fromCallback, fromPromise, type EventObject } from 'xstate';
import type { Logger } from '../../log/logger';
import { createMonitorMachine } from '../../machines/regulatory/monitorMachine';
import type { AnnounceParams, BrokerSeed, CloseDayInput, CloseDayOutput, CloseTimerInput } from '../../machines/regulatory/monitorTypes';
import type { ContractPosition } from '../../regulatory/cftc/positions/contractPosition';
import { filingDeadline, nextClose, type CloseSchedule } from '../../regulatory/monitoring/closeSchedule';
import type { ContractMonthResolver } from '../../regulatory/monitoring/contractMonthResolver';
import { wallClockAt } from '../../regulatory/monitoring/zonedTime';
import type { ReportIntakeResult } from '../../regulatory/pipeline/reportIntake';
import type { ReportRequest } from '../../regulatory/reportTypes';
import type { RedisPositionSource } from '../../regulatory/sources/redisPositionSource';
import { systemClock } from '../marketData/systemClock';

/** A broker position as the seed reads it; the contract fields, when the snapshot carries them, place it without a lookup. */
export interface BrokerPosition {
  account: string;
  symbol: string;
  position: number;
  lastTradeDateOrContractMonth?: string;
  localSymbol?: string;
}

export interface MonitorActorDeps {
  brokerSnapshot: () => Promise<{ positions: BrokerPosition[]; executions: { execId: string }[] }>;
  resolver: ContractMonthResolver;
  positions: RedisPositionSource;
  /** The `reports` intake once it runs; null when reports are off (the close is still recorded). */
  enqueue: () => ((request: ReportRequest) => Promise<ReportIntakeResult>) | null;
  schedule: CloseSchedule;
  logger: Logger;
  announce: (params: AnnounceParams) => void;
  /** Wall time for "today" of a manual close; the system clock by default. */
  now?: () => number;
}

/** The monitor machine with its I/O: the IB session, the Redis close store, the reports queue and the clock. */
export function createMonitorLogic(deps: MonitorActorDeps) {
  const { logger, schedule } = deps;
  const now = deps.now ?? (() => Date.now());

  const seed = fromPromise<BrokerSeed, void>(async () => {
    try {
      const snapshot = await deps.brokerSnapshot();
      const positions: ContractPosition[] = [];
      for (const held of snapshot.positions) {
        if (held.position === 0) continue;
        const contractMonth = await deps.resolver.monthOf(held.symbol, held.lastTradeDateOrContractMonth || undefined, held.localSymbol || undefined);
        positions.push({ account: held.account, symbol: held.symbol, contractMonth, net: held.position });
      }
      logger.info('regulatory monitor seeded from broker positions', { positions: positions.length, executions: snapshot.executions.length });
      return { positions, includedExecIds: snapshot.executions.map((execution) => execution.execId) };
    } catch (error) {
      logger.warn('regulatory monitor could not read broker positions; retrying', { error: (error as Error).message });
      throw error;
    }
  });

  const closeDay = fromPromise<CloseDayOutput, CloseDayInput>(async ({ input }) => {
    const day = input.day ?? wallClockAt(now(), schedule.closeTimeZone).day;
    await deps.positions.recordClose(day, input.positions);
    const enqueue = deps.enqueue();
    let jobId: string | null = null;
    if (enqueue) {
      const request: ReportRequest = { jurisdiction: 'CFTC', type: 'large_trader_positions', reportDate: day, deadline: filingDeadline(day, schedule) };
      const intake = await enqueue(request);
      if (!intake.accepted) throw new Error(`large trader report for ${day} refused at intake: ${intake.errors.join('; ')}`);
      jobId = intake.jobId;
    } else {
      logger.warn('reports are not running: close recorded, no large trader report enqueued', { day });
    }
    logger.info('trading day closed', { day, positions: input.positions.length, jobId });
    return { day, positions: input.positions.length, jobId };
  });

  // On the actor system's clock, so a SimulatedClock drives it in tests.
  const closeTimer = fromCallback<EventObject, CloseTimerInput>(({ sendBack, input, system }) => {
    const clock = systemClock(system);
    const next = nextClose(Math.max(clock.now(), input.notBeforeMs), schedule);
    const handle = clock.setTimeout(() => sendBack({ type: 'CLOSE_DAY', day: next.day, scheduledAtMs: next.atMs }), Math.max(0, next.atMs - clock.now()));
    return () => clock.clearTimeout(handle);
  });

  return createMonitorMachine({ actors: { seed, closeDay, closeTimer }, announce: deps.announce });
}
