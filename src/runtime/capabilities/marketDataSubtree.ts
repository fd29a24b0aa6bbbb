import type { AnyActorRef } from 'xstate';
import { z } from 'zod';
import type { Logger } from '../../log/logger.ts';
import type { IbSession } from '../../ib/session/ibSession.ts';
import type { BackoffOptions, ChildSpec } from '../../supervision/childSpec.ts';
import { supervisor } from '../../supervision/supervisorLogic.ts';
import { circuitBreakerEventSchema, createCircuitBreakerMachine, type CircuitBreakerMachine } from '../../machines/circuitBreaker/circuitBreakerMachine.ts';
import type { CircuitBreakerConfigInput } from '../../machines/circuitBreaker/config.ts';
import { CircuitBreaker, type CircuitBreakerRef } from '../../actors/circuitBreaker.ts';
import { createSourceMachine, lifecycleOf } from '../../machines/marketdata/sourceMachine.ts';
import type { SourceMachineContext, SourceMachineInput } from '../../machines/marketdata/sourceTypes.ts';
import { sourceFeedActor } from '../../actors/marketdata/sourceFeed.ts';
import type { InstrumentIndex, SourceHealth, TickSink } from '../../marketdata/tickBatch.ts';
import type { MarketDataSource } from '../../marketdata/sources/marketDataSource.ts';
import { createSource } from '../../marketdata/sources/createSource.ts';
import type { ContractResolver } from '../../contracts/index.ts';
import { checkIntervalOf, type SourceConfig } from '../../marketdata/sources/sourceConfig.ts';

export const MARKET_DATA_SUPERVISOR_ID = 'marketData';

/** systemId of a source's lifecycle actor; prefixed so a source called `ib` cannot clash with the IB connection. */
export const sourceSystemId = (sourceId: string) => `md-${sourceId}`;
/** systemId of a source's circuit breaker, a sibling that outlives the source's restarts. */
export const breakerSystemId = (sourceId: string) => `md-${sourceId}-breaker`;

/** Judges a source's last 10 starts once 3 are in; at half failed it refuses starts for 30 s, then lets one try. */
export const SOURCE_BREAKER_DEFAULTS: CircuitBreakerConfigInput = {
  slidingWindowSize: 10,
  minimumNumberOfCalls: 3,
  failureRateThreshold: 50,
  waitDurationInOpenStateMs: 30_000,
  permittedNumberOfCallsInHalfOpenState: 1,
};

/** Sources fail for outside reasons (a vendor down for an hour); their restarts must not take the runtime down. */
export const MARKET_DATA_SUPERVISION = {
  intensity: 100,
  periodMs: 60_000,
  backoff: { minMs: 1_000, maxMs: 30_000, jitter: 0.2 } satisfies BackoffOptions,
};

export interface MarketDataSubtreeOptions {
  sources: SourceConfig[];
  /** The engine: receives every tick batch and every health change. */
  sink: TickSink;
  index: InstrumentIndex;
  logger: Logger;
  /** IB sessions by connection systemId, for `kind: ib` sources (the broker capability's). */
  ibSessions?: ReadonlyMap<string, IbSession>;
  /** Which contract month IB sources subscribe in, and roll to. */
  contracts?: ContractResolver;
  /** The event bus, for `market_data.roll`. */
  publish?: (topic: string, payload: unknown) => void;
  supervision?: Partial<typeof MARKET_DATA_SUPERVISION>;
}

/** What may be injected into a source from outside: a graceful stop. */
export const sourceEventSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('tradewire.shutdown') })]);

/** Tells the sink about health changes only, however often the machine re-enters a state. */
function healthReporter(sink: TickSink) {
  const last = new Map<string, SourceHealth>();
  return (sourceId: string, health: SourceHealth) => {
    if (last.get(sourceId) === health) return;
    last.set(sourceId, health);
    sink.setSourceHealth(sourceId, health);
  };
}

function breakerOf(system: AnyActorRef['system'], sourceId: string): CircuitBreaker | null {
  const ref = system.get(breakerSystemId(sourceId)) as CircuitBreakerRef | undefined;
  return ref && ref.getSnapshot().status === 'active' ? new CircuitBreaker(ref) : null;
}

/** The `/actors` summary of a source: lifecycle, ticks, last tick age, subscriptions, and the source's own facts. */
export function describeSource(current: () => MarketDataSource | null) {
  return (snapshot: { value: unknown; context: SourceMachineContext }) => {
    const { context } = snapshot;
    return {
      lifecycle: lifecycleOf(snapshot),
      ticksReceived: context.ticks,
      ticksRejected: context.rejectedTicks,
      lastTickAgeMs: context.lastTickAt === null ? null : Math.max(0, Date.now() - context.lastTickAt),
      subscriptions: context.subscriptions,
      lastError: context.lastError,
      interruptions: context.interruptions,
      breakerRejections: context.breakerRejections,
      notes: context.notes,
      ...(current()?.describe?.() ?? {}),
    };
  };
}

/** The child specs of one source: its circuit breaker, then its lifecycle actor. */
export function sourceChildren(config: SourceConfig, options: Omit<MarketDataSubtreeOptions, 'sources'>, reportHealth = healthReporter(options.sink)): ChildSpec[] {
  const ibSessions = options.ibSessions ?? new Map<string, IbSession>();
  let current: MarketDataSource | null = null;
  const breakerMachine: CircuitBreakerMachine = createCircuitBreakerMachine({ ...SOURCE_BREAKER_DEFAULTS, name: config.id, ...config.breaker });
  const feed = sourceFeedActor({
    sourceId: config.id,
    instruments: config.instruments,
    index: options.index,
    sink: options.sink,
    logger: options.logger,
    subscribeTimeoutMs: config.subscribeTimeoutMs,
    createSource: () =>
      (current = createSource(config, {
        ibSessions,
        ...(options.contracts ? { contracts: options.contracts } : {}),
        ...(options.publish ? { publish: options.publish } : {}),
      })),
    breaker: (system) => breakerOf(system, config.id),
  });
  const input: SourceMachineInput = {
    sourceId: config.id,
    maxAgeMs: config.maxAgeMs,
    checkIntervalMs: checkIntervalOf(config),
    failAfterStaleMs: config.failAfterStaleMs,
    breakerRetryMs: config.breakerRetryMs,
  };
  return [
    { id: breakerSystemId(config.id), kind: 'circuit-breaker', logic: breakerMachine, eventSchema: circuitBreakerEventSchema, shutdown: 'brutal' },
    {
      id: sourceSystemId(config.id),
      kind: `market-data-source:${config.kind}`,
      logic: createSourceMachine({ feed, reportHealth }),
      input,
      // A replay that ends is done; anything that fails is restarted.
      restart: 'transient',
      shutdown: 2_000,
      eventSchema: sourceEventSchema,
      details: describeSource(() => current),
    },
  ];
}

/**
 * The `marketData` supervisor: per configured source, its circuit breaker and its lifecycle actor,
 * one_for_one, so a failing source is restarted with backoff on its own. Null with no sources.
 */
export function marketDataSubtree(options: MarketDataSubtreeOptions): ChildSpec | null {
  if (options.sources.length === 0) return null;
  const reportHealth = healthReporter(options.sink);
  const policy = { ...MARKET_DATA_SUPERVISION, ...options.supervision };
  return supervisor(MARKET_DATA_SUPERVISOR_ID, {
    strategy: 'one_for_one',
    ...policy,
    children: options.sources.flatMap((config) => sourceChildren(config, options, reportHealth)),
  });
}
