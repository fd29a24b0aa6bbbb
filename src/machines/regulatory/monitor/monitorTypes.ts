import type { CallbackActorLogic, EventObject, PromiseActorLogic } from 'xstate';
import { z } from 'zod';
import type { InstrumentMap } from '../../../regulatory/cftc/levels/instrumentMap.ts';
import type { ContractPosition } from '../../../regulatory/cftc/positions/contractPosition.ts';
import type { ReportingFill } from '../../../regulatory/cftc/positions/reportingPositionBook.ts';
import { isIsoDay } from '../../../shared/calendarDays.ts';
import { closeDayProblem, type CloseWindow } from '../../../regulatory/monitoring/closeWindow.ts';
import type { LevelCrossing, LevelWatch } from '../../../regulatory/monitoring/levelWatch.ts';

export const REGULATORY_MONITOR_ID = 'regulatory-monitor';

/** The broker's positions with their contract months, and the executions already in them. */
export interface BrokerSeed {
  positions: ContractPosition[];
  includedExecIds: string[];
}

export interface CloseDayInput {
  /** The trading day to close; null means today in the close time zone (the actor layer reads the clock). */
  day: string | null;
  /** The book as it stood when the close was asked for. */
  positions: ContractPosition[];
}

export interface CloseDayOutput {
  day: string;
  positions: number;
  /** The `reports` job enqueued for the day, or null when reports are not running. */
  jobId: string | null;
}

export interface CloseTimerInput {
  /** A close at or before this instant already fired: the timer looks for the one after. */
  notBeforeMs: number;
}

export type MonitorEvent =
  | { type: 'FILL'; fills: ReportingFill[] }
  /** A day close: from the close timer (with its scheduled instant) or injected (admin API, `tradewire inject`). */
  | { type: 'CLOSE_DAY'; day?: string; scheduledAtMs?: number }
  /** A dead-lettered close replayed (`tradewire dlq replay regulatory-close:dead:…`): the book as it stood then. Never injectable. */
  | { type: 'CLOSE_REPLAY'; day: string; positions: ContractPosition[] };

/** What may be injected from outside: only a day close, with an optional valid day. */
export const monitorEventSchema = z.strictObject({
  type: z.literal('CLOSE_DAY', { error: "only 'CLOSE_DAY' may be injected into the regulatory monitor" }),
  day: z.iso.date({ error: 'day must be a date YYYY-MM-DD' }).optional(),
});

/**
 * The injectable schema with the day window checked against the clock at each injection (see
 * closeWindowAt): a close far in the future or before retention is refused with 400 naming `day`,
 * instead of reaching the monitor as a close that can never succeed.
 */
export function monitorEventSchemaWithin(window: () => CloseWindow) {
  return monitorEventSchema.superRefine((event, context) => {
    // A malformed day already has its own issue; the window says nothing more about it.
    if (event.day === undefined || !isIsoDay(event.day)) return;
    const problem = closeDayProblem(event.day, window());
    if (problem) context.addIssue({ code: 'custom', path: ['day'], message: problem });
  });
}

/**
 * A close that did not happen. `refused` means retrying cannot help (a day outside the window,
 * a report request the intake refused); otherwise the cause may pass (Redis down).
 */
export class DayCloseError extends Error {
  override readonly name = 'DayCloseError';
  constructor(
    /** The day it was for: a "today" close knows its day only once it runs. */
    readonly day: string | null,
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
  }
}

/** A close that is given up (refused, or out of attempts): dead-lettered by the actor layer. */
export interface FailedClose {
  day: string | null;
  positions: ContractPosition[];
  reason: string;
  attempts: number;
  refused: boolean;
}

/** A close waiting its turn: positions are taken when it starts unless it carries its own (a retry, a replay). */
export interface PendingClose {
  day: string | null;
  positions: ContractPosition[] | null;
  /** Attempts already made. */
  attempts: number;
}

/** The I/O a monitor needs, injected by the actor layer (src/actors/regulatory). */
export type MonitorActors = {
  /** The broker's positions; rejects when the broker did not answer in full (never an empty answer). */
  seed: PromiseActorLogic<BrokerSeed, void>;
  /** Records the close-of-day positions and enqueues the day's large trader report request. */
  closeDay: PromiseActorLogic<CloseDayOutput, CloseDayInput>;
  /** Sends CLOSE_DAY at the next scheduled close. */
  closeTimer: CallbackActorLogic<EventObject, CloseTimerInput>;
};

export interface AnnounceParams {
  crossings: LevelCrossing[];
  /** True for the crossings a (re)seed finds: a state found at start, not a move the fills made. */
  atSeed: boolean;
}

export interface MonitorDeps {
  actors: MonitorActors;
  /** Logs, publishes and counts level crossings. */
  announce: (params: AnnounceParams) => void;
  /** Logs a close given up at error and dead-letters it; called once per failed close (absent in graph rendering). */
  deadLetterClose?: (failure: FailedClose) => void;
}

/** What an incarnation picks up from Redis: see loadMonitorState. */
export interface RestoredMonitorState {
  lastClose: CloseDayOutput | null;
  failedCloses: MonitorContext['failedCloses'];
}

export interface MonitorInput {
  instruments: InstrumentMap;
  seedRetryMs: number;
  closeRetryMs: number;
  /** Attempts per close before it is dead-lettered (a refused close gets one). */
  closeAttempts: number;
  /** From the start function on every start and restart; absent: nothing is known of earlier closes. */
  restored?: RestoredMonitorState;
}

export interface MonitorContext {
  watch: LevelWatch;
  seedRetryMs: number;
  closeRetryMs: number;
  closeAttempts: number;
  /** Fills that arrived before the seed: applied on top of it (by execId) once it is in. */
  pending: ReportingFill[];
  /** Closes waiting their turn, in order; a failed close to be retried goes to the back. */
  queuedCloses: PendingClose[];
  closing: (CloseDayInput & { attempts: number }) | null;
  lastClose: CloseDayOutput | null;
  /** Closes given up and dead-lettered, newest last; a later successful close of the day clears its entry. */
  failedCloses: { day: string | null; reason: string; attempts: number }[];
  /** The instant of the last scheduled close that fired. */
  lastScheduledAtMs: number;
  crossings: LevelCrossing[];
  lastError: string | null;
  seedAttempts: number;
}
