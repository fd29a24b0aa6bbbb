import type { SourceHealth } from '../../marketdata/tickBatch.ts';
import type { SHUTDOWN_EVENT } from '../../supervision/shutdownProtocol.ts';

/** What the feed actor (the source's I/O) reports to the lifecycle machine. Never per tick. */
export type FeedEvent =
  | { type: 'feed.subscribed'; subscriptions: string[] }
  /** The circuit breaker refused the start; nothing was attempted. */
  | { type: 'feed.rejected'; reason: string }
  | { type: 'feed.failed'; error: string }
  /** The answer to `sample`: ticks accepted since the previous sample, and totals. */
  | { type: 'feed.sample'; ticks: number; rejected: number; lastTickAt: number | null }
  | { type: 'feed.interrupted'; reason: string }
  | { type: 'feed.note'; what: string }
  | { type: 'feed.ended' }
  | { type: 'feed.stopped' };

/** What the machine tells the feed actor. */
export type FeedCommand = { type: 'subscribe' } | { type: 'sample' } | { type: 'stop' };

export type SourceControlEvent = { type: typeof SHUTDOWN_EVENT };

export type SourceEvent = FeedEvent | SourceControlEvent;

export interface SourceTiming {
  maxAgeMs: number;
  checkIntervalMs: number;
  failAfterStaleMs: number;
  breakerRetryMs: number;
}

export interface SourceMachineInput extends SourceTiming {
  sourceId: string;
}

export interface SourceMachineContext extends SourceMachineInput {
  /** Ticks accepted over this incarnation (updated per check, not per tick). */
  ticks: number;
  rejectedTicks: number;
  /** On the source's clock; null until a tick arrived. */
  lastTickAt: number | null;
  /** Time without ticks as the checks saw it (a multiple of checkIntervalMs). */
  silentMs: number;
  /** Time spent stale so far in this stale spell. */
  staleMs: number;
  subscriptions: string[];
  lastError: string | null;
  interruptions: number;
  breakerRejections: number;
  /** Counted feed notes, e.g. { resubscribed: 2 }. */
  notes: Record<string, number>;
}

/** The lifecycle states, as the top-level state names of the source machine. */
export type SourceLifecycle = 'idle' | 'subscribing' | 'streaming' | 'stale' | 'failed' | 'finished' | 'stopping' | 'stopped';

export type ReportHealth = (sourceId: string, health: SourceHealth) => void;
