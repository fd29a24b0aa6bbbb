/**
 * Exponentially weighted moving average of response latency. Recent samples dominate so a
 * connection that slows down (or recovers) is noticed within a handful of requests.
 */
export class LatencyEwma {
  private average: number | null = null;

  constructor(private readonly alpha: number) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`EWMA alpha must be in (0, 1], got ${alpha}`);
  }

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.average = this.average === null ? ms : this.average + this.alpha * (ms - this.average);
  }

  /** `null` until the first sample: the connection is untried. */
  get value(): number | null {
    return this.average;
  }
}
