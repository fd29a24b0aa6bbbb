import { fromCallback, fromPromise, type EventObject } from 'xstate';
import type { Logger } from '../../log/logger.ts';
import { createMonitorMachine } from '../../machines/regulatory/monitor/monitorMachine.ts';
import { DayCloseError, type AnnounceParams, type BrokerSeed, type CloseDayInput, type CloseDayOutput, type CloseTimerInput, type FailedClose } from '../../machines/regulatory/monitor/monitorTypes.ts';
import type { ContractPosition } from '../../regulatory/cftc/positions/contractPosition.ts';
import { filingDeadline, nextClose, type CloseSchedule } from '../../regulatory/monitoring/closeSchedule.ts';
import { closeDayProblem, closeWindowAt } from '../../regulatory/monitoring/closeWindow.ts';
import type { ContractMonthResolver } from '../../regulatory/monitoring/contractMonthResolver.ts';
import { wallClockAt } from '../../shared/calendarDays.ts';
import type { ReportIntakeResult } from '../../regulatory/pipeline/reportIntake.ts';
import type { ReportRequest } from '../../regulatory/reportTypes.ts';
import { CloseNotRecordedError, type RedisPositionSource } from '../../regulatory/sources/redisPositionSource.ts';
import { systemClock } from '../marketdata/systemClock.ts';
import { errorMessage } from '../../shared/errorMessage.ts';
import type { Now } from '../../shared/clock.ts';

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
  /** audit.retention.retentionYears: a close of a day older than this is refused. */
  retentionYears: number;
  logger: Logger;
  announce: (params: AnnounceParams) => void;
  /** Stores a close given up (the `regulatory-close:dead` queue); it is logged at error here first. */
  deadLetterClose?: (failure: FailedClose & { failedAtMs: number }) => void;
  /** Wall time for "today" and the day window; the actor system's clock by default. */
  now?: Now;
}

/** The monitor machine with its I/O: the IB session, the Redis close store, the reports queue and the clock. */
export function createMonitorLogic(deps: MonitorActorDeps) {
  const { logger, schedule, retentionYears } = deps;

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
      logger.warn('regulatory monitor could not read broker positions; retrying', { error: errorMessage(error) });
      throw error;
    }
  });

  const closeDay = fromPromise<CloseDayOutput, CloseDayInput>(async ({ input, system }) => {
    const nowMs = deps.now?.() ?? systemClock(system).now();
    const day = input.day ?? wallClockAt(nowMs, schedule.closeTimeZone).day;
    // Also checked here, not only at injection: a replayed or internally sent close gets the same rule.
    const problem = closeDayProblem(day, closeWindowAt(nowMs, { closeTimeZone: schedule.closeTimeZone, retentionYears }));
    if (problem) throw new DayCloseError(day, `day close refused: ${problem}`, true);
    try {
      await deps.positions.recordClose(day, input.positions);
    } catch (error) {
      const problem = error instanceof CloseNotRecordedError ? error.message : `close of ${day} not recorded: ${errorMessage(error)}`;
      throw new DayCloseError(day, problem, false);
    }
    const enqueue = deps.enqueue();
    let jobId: string | null = null;
    if (enqueue) {
      const request: ReportRequest = { jurisdiction: 'CFTC', type: 'large_trader_positions', reportDate: day, deadline: filingDeadline(day, schedule) };
      let intake: ReportIntakeResult;
      try {
        intake = await enqueue(request);
      } catch (error) {
        throw new DayCloseError(day, `large trader report for ${day} not enqueued: ${errorMessage(error)}`, false);
      }
      if (!intake.accepted) throw new DayCloseError(day, `large trader report for ${day} refused at intake: ${intake.errors.join('; ')}`, true);
      jobId = intake.jobId;
    } else {
      logger.warn('reports are not running: close recorded, no large trader report enqueued', { day });
    }
    logger.info('trading day closed', { day, positions: input.positions.length, jobId });
    return { day, positions: input.positions.length, jobId };
  });

  // On the actor system's clock, so a SimulatedClock drives it in tests. It runs for the monitor's
  // whole life and re-arms itself after each close it sends.
  const closeTimer = fromCallback<EventObject, CloseTimerInput>(({ sendBack, input, system }) => {
    const clock = systemClock(system);
    let handle: unknown;
    const arm = (notBeforeMs: number) => {
      const next = nextClose(Math.max(clock.now(), notBeforeMs), schedule);
      handle = clock.setTimeout(() => {
        sendBack({ type: 'CLOSE_DAY', day: next.day, scheduledAtMs: next.atMs });
        arm(next.atMs);
      }, Math.max(0, next.atMs - clock.now()));
    };
    arm(input.notBeforeMs);
    return () => clock.clearTimeout(handle);
  });

  const deadLetterClose = (failure: FailedClose) => {
    logger.error('regulatory day close failed and was dead-lettered; later closes go on', {
      day: failure.day,
      reason: failure.reason,
      attempts: failure.attempts,
      refused: failure.refused,
      positions: failure.positions.length,
    });
    deps.deadLetterClose?.({ ...failure, failedAtMs: deps.now?.() ?? Date.now() });
  };

  return createMonitorMachine({ actors: { seed, closeDay, closeTimer }, announce: deps.announce, deadLetterClose });
}
