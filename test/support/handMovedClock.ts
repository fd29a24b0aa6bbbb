/**
 * A gateway clock the test moves by hand (only ever forward, as a gateway's): the simulator's
 * `clock` option reads it, so its listing, sessions and currentTime follow the test's instant.
 * Frozen between moves, so a test is the same on any day it runs.
 */
export class HandMovedClock {
  private ms: number;

  constructor(iso: string) {
    this.ms = Date.parse(iso);
  }

  readonly now = (): number => this.ms;

  /** Moves to `iso`; refuses to go back. */
  moveTo(iso: string): void {
    const to = Date.parse(iso);
    if (!(to >= this.ms)) throw new Error(`a gateway clock only moves forward: ${new Date(this.ms).toISOString()} to ${iso}`);
    this.ms = to;
  }
}
