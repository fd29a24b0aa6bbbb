/**
 * The clock a source schedules its own work on (replay pacing, synthetic ticks). Sources get the
 * actor system's clock, so under XState's SimulatedClock their timers and the lifecycle
 * machine's `after` delays advance together and tests never wait in real time.
 */
export interface FeedClock {
  /** Milliseconds; epoch ms on the real clock, simulated ms under SimulatedClock. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: FeedClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
