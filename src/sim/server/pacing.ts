/**
 * Per-connection message-rate guard, IB style: more than `max` messages inside one second is a
 * violation. A ring of the last `max` admission times makes each check O(1) with no allocation.
 */
export class PacingGuard {
  private readonly stamps: Float64Array;
  private next = 0;
  violations = 0;

  constructor(private readonly max: number) {
    this.stamps = new Float64Array(max).fill(Number.NEGATIVE_INFINITY);
  }

  /** True if the message may be processed; false (and a violation counted) if over the rate. */
  admit(nowMs: number): boolean {
    if (nowMs - (this.stamps[this.next] as number) < 1000) {
      this.violations++;
      return false;
    }
    this.stamps[this.next] = nowMs;
    this.next = (this.next + 1) % this.max;
    return true;
  }

  /** Messages seen in the last second including the one being refused (for the error text). */
  receivedInLastSecond(nowMs: number): number {
    let count = 1;
    for (const stamp of this.stamps) if (nowMs - stamp < 1000) count++;
    return count;
  }

  reset(): void {
    this.stamps.fill(Number.NEGATIVE_INFINITY);
    this.violations = 0;
  }
}
