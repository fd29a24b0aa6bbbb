import type { CallbackActorLogic, EventObject, PromiseActorLogic } from 'xstate';
import { z } from 'zod';
import type { InstrumentMap } from '../../regulatory/cftc/levels/instrumentMap';
import type { ContractPosition } from '../../regulatory/cftc/positions/contractPosition';
import type { ReportingFill } from '../../regulatory/cftc/positions/reportingPositionBook';
import type { LevelCrossing, LevelWatch } from '../../regulatory/monitoring/levelWatch';

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
  | { type: 'CLOSE_DAY'; day?: string; scheduledAtMs?: number };

/** What may be injected from outside: only a day close, with an optional valid day. */
export const monitorEventSchema = z.strictObject({
  type: z.literal('CLOSE_DAY', { error: "only 'CLOSE_DAY' may be injected into the regulatory monitor" }),
  day: z.iso.date({ error: 'day must be a date YYYY-MM-DD' }).optional(),
});

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
}

export interface MonitorInput {
  instruments: InstrumentMap;
  seedRetryMs: number;
  closeRetryMs: number;
}

export interface MonitorContext {
  watch: LevelWatch;
  seedRetryMs: number;
  closeRetryMs: number;
  /** Fills that arrived before the seed: applied on top of it (by execId) once it is in. */
  pending: ReportingFill[];
  /** Closes asked for while seeding or closing, in order; null = today. */
  queuedCloses: (string | null)[];
  closing: CloseDayInput | null;
  lastClose: CloseDayOutput | null;
  /** The instant of the last scheduled close that fired. */
  lastScheduledAtMs: number;
  crossings: LevelCrossing[];
  lastError: string | null;
  seedAttempts: number;
}
