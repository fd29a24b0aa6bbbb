import type { Clock } from './clock.ts';

/**
 * A clock that runs with its base clock (real time, or a test's fake) from a chosen start, and can
 * be set to an instant or moved on by a duration: a simulated market crosses a roll, an expiry or
 * a weekend in seconds. It enforces nothing about direction; its owner decides what is allowed.
 */
export class SettableClock implements Clock {
  /** What is added to the base clock's reading. */
  private offsetMs: number;

  constructor(
    private readonly base: Clock,
    /** Epoch ms the clock reads now; absent: the base clock's reading. */
    startMs?: number,
  ) {
    this.offsetMs = startMs === undefined ? 0 : startMs - base.now();
  }

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  /** From here on the clock reads `instantMs`, then runs on with its base. */
  setTo(instantMs: number): void {
    this.offsetMs = instantMs - this.base.now();
  }

  advanceBy(ms: number): void {
    this.offsetMs += ms;
  }
}
