import type { AnyActorRef } from 'xstate';
import type { Clock, TimerClock } from '../../shared/clock.ts';

/**
 * The actor system's own clock as a TimerClock. A source's timers then run on the same clock as
 * its machine's `after` delays: real time in production, a SimulatedClock in tests.
 */
export function systemClock(system: AnyActorRef['system']): TimerClock {
  // XState's clock has no `now` unless it is a SimulatedClock.
  const clock = system._clock as Omit<TimerClock, 'now'> & Partial<Clock>;
  return {
    now: () => (typeof clock.now === 'function' ? clock.now() : Date.now()),
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (handle) => clock.clearTimeout(handle),
  };
}
