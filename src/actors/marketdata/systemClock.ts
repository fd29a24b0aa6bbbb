import type { AnyActorRef } from 'xstate';
import type { FeedClock } from '../../marketdata/sources/feedClock.ts';

/**
 * The actor system's own clock as a FeedClock. A source's timers then run on the same clock as
 * its machine's `after` delays: real time in production, a SimulatedClock in tests.
 */
export function systemClock(system: AnyActorRef['system']): FeedClock {
  const clock = system._clock as { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void; now?: () => number };
  return {
    now: () => (typeof clock.now === 'function' ? clock.now() : Date.now()),
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (handle) => clock.clearTimeout(handle),
  };
}
