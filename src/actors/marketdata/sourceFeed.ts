import type { AnyActorRef } from 'xstate';
import type { Logger } from '../../log/logger.ts';
import type { InstrumentIndex, TickSink } from '../../marketdata/tickBatch.ts';
import type { MarketDataSource, SourceContext } from '../../marketdata/sources/marketDataSource.ts';
import { TickWriter } from '../../marketdata/sources/tickWriter.ts';
import type { FeedCommand, FeedEvent } from '../../machines/marketdata/sourceTypes.ts';
import { CallNotPermittedError, type CircuitBreaker } from '../circuitBreaker.ts';
import { containedCallback } from '../containedCallback.ts';
import { systemClock } from './systemClock.ts';
import { withTimeout } from './withTimeout.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

export interface SourceFeedSetup {
  sourceId: string;
  instruments: readonly string[];
  index: InstrumentIndex;
  sink: TickSink;
  logger: Logger;
  subscribeTimeoutMs: number;
  /** A fresh source for each incarnation of the actor. */
  createSource: () => MarketDataSource;
  /**
   * The source's breaker, looked up per start: it is a sibling actor that outlives this one, so
   * failed starts across restarts add up and can open it. Null while it is itself restarting.
   */
  breaker: (system: AnyActorRef['system']) => CircuitBreaker | null;
}

/**
 * The I/O half of a market-data source: runs one MarketDataSource, starts it through the circuit
 * breaker, and answers the lifecycle machine's `sample` with a tick count. Ticks go from the
 * source through a TickWriter to the sink and never become events.
 */
export function sourceFeedActor(setup: SourceFeedSetup) {
  return containedCallback<FeedCommand, unknown, FeedEvent>(({ sendBack, receive, system }) => {
    const { sourceId, logger } = setup;
    const clock = systemClock(system);
    const abort = new AbortController();
    let finished = false;
    const report = (event: FeedEvent) => {
      if (!finished) sendBack(event);
    };
    const writer = new TickWriter({
      sourceId,
      sink: setup.sink,
      instrumentCount: setup.index.size,
      now: () => clock.now(),
      onError: (error) => report({ type: 'feed.failed', error: `tick sink: ${error.message}` }),
    });
    const known = setup.instruments.filter((symbol) => setup.index.indexOf(symbol) >= 0);
    const unknown = setup.instruments.filter((symbol) => setup.index.indexOf(symbol) < 0);
    if (unknown.length > 0) logger.warn('market-data source lists instruments the engine does not know; skipped', { sourceId, unknown });

    const context: SourceContext = {
      sourceId,
      instruments: known,
      index: setup.index,
      ticks: writer,
      clock,
      logger,
      signal: abort.signal,
      fail: (error) => report({ type: 'feed.failed', error: error.message }),
      interrupted: (reason) => report({ type: 'feed.interrupted', reason }),
      ended: () => {
        writer.flush();
        report({ type: 'feed.ended' });
      },
      note: (what) => report({ type: 'feed.note', what }),
    };
    const source = setup.createSource();
    let stopped = false;
    /** Stops the source once; a promise only if its stop is asynchronous, so a synchronous stop answers at once. */
    const stopSource = (): Promise<void> | null => {
      abort.abort();
      if (stopped) return null;
      stopped = true;
      const complain = (error: unknown) => void logger.warn('market-data source did not stop cleanly', { sourceId, error: errorMessage(error) });
      try {
        const result = source.stop();
        return result instanceof Promise ? result.then(() => undefined, complain) : null;
      } catch (error) {
        complain(error);
        return null;
      }
    };

    receive((command) => {
      switch (command.type) {
        case 'subscribe': {
          const breaker = setup.breaker(system);
          if (!breaker) {
            report({ type: 'feed.rejected', reason: `circuit breaker of '${sourceId}' is not running` });
            return;
          }
          breaker
            .execute(() => withTimeout(Promise.resolve().then(() => source.start(context)), setup.subscribeTimeoutMs, clock, `source '${sourceId}' start`))
            .then(
              () => report({ type: 'feed.subscribed', subscriptions: known }),
              (error: unknown) =>
                report(
                  error instanceof CallNotPermittedError
                    ? { type: 'feed.rejected', reason: error.message }
                    : { type: 'feed.failed', error: `start failed: ${errorMessage(error)}` },
                ),
            );
          return;
        }
        case 'sample':
          report({ type: 'feed.sample', ticks: writer.takeSample(), rejected: writer.rejected, lastTickAt: writer.lastTickAt });
          return;
        case 'stop': {
          const pending = stopSource();
          if (pending) void pending.then(() => report({ type: 'feed.stopped' }));
          else report({ type: 'feed.stopped' });
          return;
        }
      }
    });
    return () => {
      finished = true;
      void stopSource();
    };
  });
}
