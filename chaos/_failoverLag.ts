/**
 * How late this process's event loop ran, moment by moment: the simulator (in this process) stamps
 * a broker message when the loop gets to its bytes, so a message stamped at `t` may have arrived
 * as early as `t - slackAt(t)`. A timer every few milliseconds notes how late it fired; the loop
 * runs overdue timers just before the I/O that waited with them, so the lateness of the ticks just
 * before a stamp bounds how long its bytes may have waited.
 */
export class LoopLag {
  /** [when the tick fired, how late] for ticks later than 1 ms (the rest are no slack worth keeping). */
  private readonly late: [number, number][] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly tickMs = 5) {}

  start(): void {
    let expected = Date.now() + this.tickMs;
    this.timer = setInterval(() => {
      const now = Date.now();
      if (now - expected > 1) this.late.push([now, now - expected]);
      expected = now + this.tickMs;
    }, this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The most a stamp at `at` may be late: the worst lateness of ticks fired in the 100 ms up to it, plus one tick. */
  slackAt(at: number): number {
    let worst = 0;
    for (const [when, late] of this.late) {
      if (when > at + this.tickMs) break;
      if (when >= at - 100 && late > worst) worst = late;
    }
    return worst + this.tickMs;
  }
}
