import type { Logger } from '../../log/logger.ts';
import type { InstrumentIndex } from '../tickBatch.ts';
import type { TimerClock } from '../../shared/clock.ts';
import type { TickWriter } from './tickWriter.ts';

/**
 * What every market-data source implements: the built-in IB, replay and synthetic sources, and
 * any vendor adapter a user adds as one file (`kind: custom`). A source only moves data; the
 * lifecycle around it (stale detection, failure, restarts with backoff, the circuit breaker on
 * `start`) is the runtime's job.
 */
export interface MarketDataSource {
  /**
   * Connects and subscribes to `context.instruments`. Resolve once the subscription is in place;
   * reject if it cannot be. Runs through the source's circuit breaker and the subscribe timeout.
   */
  start(context: SourceContext): Promise<void>;
  /** Releases sockets and timers. Called once, also after a failed start. */
  stop(): void | Promise<void>;
  /** Optional facts for `/actors` (e.g. bad lines, subscription errors); keep it cheap. */
  describe?(): Record<string, unknown>;
}

export interface SourceContext {
  /** The source's id from the config (e.g. `ib`, `replay-daily`). */
  readonly sourceId: string;
  /** The symbols this source should deliver, as configured. */
  readonly instruments: readonly string[];
  /** Symbol -> instrument index for the ticks. */
  readonly index: InstrumentIndex;
  /** Where ticks go: `writer.quote(index.indexOf('ES'), bid, ask, last, sourceTsMs)`. */
  readonly ticks: TickWriter;
  /** Schedule timers on this, not on global setTimeout, so simulated-clock tests work. */
  readonly clock: TimerClock;
  readonly logger: Logger;
  /** Aborted when the source is being stopped. */
  readonly signal: AbortSignal;
  /** An unrecoverable problem after start (socket closed for good): the source fails and is restarted. */
  fail(error: Error): void;
  /** Data stopped for a known reason (e.g. IB 2103): the source is marked stale at once. */
  interrupted(reason: string): void;
  /** The feed has nothing more to send (a replay that does not loop): the source stops normally. */
  ended(): void;
  /** Something worth counting in `/actors`, e.g. `resubscribed`. */
  note(what: string): void;
}

/** The per-kind settings of a source, validated by the source's own schema where it has one. */
export interface SourceSetup<TOptions = unknown> {
  id: string;
  instruments: readonly string[];
  options: TOptions;
}

/** What a custom source module exports (default export or `createSource`). */
export type SourceFactory<TOptions = unknown> = (setup: SourceSetup<TOptions>) => MarketDataSource;
