import type { TimerClock } from '../../shared/clock.ts';

/**
 * The real clock a source schedules its own work on (replay pacing, synthetic ticks): epoch ms.
 * Sources get the actor system's clock instead (systemClock), so under XState's SimulatedClock
 * their timers and the lifecycle machine's `after` delays advance together.
 */
export const realClock: TimerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
