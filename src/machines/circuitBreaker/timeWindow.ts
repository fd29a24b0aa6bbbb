import { FAILED, SLOW, type CallOutcome } from './callOutcome.ts';
import type { SlidingWindow } from './slidingWindowShape.ts';
import { WindowTotals } from './windowTotals.ts';

/**
 * Calls in the last `sizeSeconds` whole seconds: one bucket per second in a ring, the head
 * bucket being the second of the newest timestamp seen (resilience4j's SlidingTimeWindowMetrics).
 * Time moves only when a call is recorded, so totals describe the window as of the latest call.
 */
export class TimeWindow extends WindowTotals implements SlidingWindow {
  private readonly calls: Int32Array;
  private readonly failed: Int32Array;
  private readonly slow: Int32Array;
  private readonly slowFailed: Int32Array;
  private head = 0;
  private headSecond: number | null = null;

  constructor(readonly sizeSeconds: number) {
    super();
    if (!Number.isInteger(sizeSeconds) || sizeSeconds < 1) {
      throw new RangeError(`time window size must be a positive number of seconds, got ${sizeSeconds}`);
    }
    this.calls = new Int32Array(sizeSeconds);
    this.failed = new Int32Array(sizeSeconds);
    this.slow = new Int32Array(sizeSeconds);
    this.slowFailed = new Int32Array(sizeSeconds);
  }

  /**
   * A timestamp older than the newest one is counted in the newest second, as resilience4j
   * does: callers pass completion times, which are near enough monotonic.
   */
  record(outcome: CallOutcome, atMs: number): void {
    this.moveHeadTo(Math.floor(atMs / 1000));
    const failed = outcome & FAILED ? 1 : 0;
    const slow = outcome & SLOW ? 1 : 0;
    const slowFailed = failed & slow;
    this.calls[this.head]! += 1;
    this.failed[this.head]! += failed;
    this.slow[this.head]! += slow;
    this.slowFailed[this.head]! += slowFailed;
    this.addCounts(1, failed, slow, slowFailed);
  }

  private moveHeadTo(second: number): void {
    if (this.headSecond === null) {
      this.headSecond = second;
      return;
    }
    if (second <= this.headSecond) return;
    const steps = Math.min(second - this.headSecond, this.sizeSeconds);
    for (let i = 0; i < steps; i += 1) {
      this.head = (this.head + 1) % this.sizeSeconds;
      this.evict(this.head);
    }
    this.headSecond = second;
  }

  private evict(bucket: number): void {
    this.addCounts(-this.calls[bucket]!, -this.failed[bucket]!, -this.slow[bucket]!, -this.slowFailed[bucket]!);
    this.calls[bucket] = 0;
    this.failed[bucket] = 0;
    this.slow[bucket] = 0;
    this.slowFailed[bucket] = 0;
  }
}
