/**
 * The one clock type. Which clock it is (epoch ms, monotonic, a test's simulated one) is the
 * injector's choice and each injection point says which it expects.
 */
export interface Clock {
  /** Milliseconds. */
  now(): number;
}

/** A clock that also schedules: XState's clock with `now`, so timers and `after` delays share it (a SimulatedClock in tests). */
export interface TimerClock extends Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A clock's reading alone, for options that take a function (`now?: Now`). */
export type Now = Clock['now'];
