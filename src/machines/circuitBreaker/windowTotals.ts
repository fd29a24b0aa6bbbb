import { FAILED, SLOW, type CallOutcome } from './callOutcome.ts';

/**
 * Running totals over whatever a window currently holds, updated on record and on evict
 * (subtract-on-evict, as resilience4j does) so reading them is O(1).
 */
export class WindowTotals {
  numberOfCalls = 0;
  numberOfFailedCalls = 0;
  numberOfSlowCalls = 0;
  numberOfSlowFailedCalls = 0;

  get numberOfSuccessfulCalls(): number {
    return this.numberOfCalls - this.numberOfFailedCalls;
  }

  /** Percentage of failed calls; 0 for an empty window. */
  get failureRate(): number {
    return this.numberOfCalls === 0 ? 0 : (this.numberOfFailedCalls * 100) / this.numberOfCalls;
  }

  /** Percentage of slow calls (successful or not); 0 for an empty window. */
  get slowCallRate(): number {
    return this.numberOfCalls === 0 ? 0 : (this.numberOfSlowCalls * 100) / this.numberOfCalls;
  }

  protected add(outcome: CallOutcome): void {
    this.addCounts(1, outcome & FAILED ? 1 : 0, outcome & SLOW ? 1 : 0, outcome === (FAILED | SLOW) ? 1 : 0);
  }

  protected remove(outcome: CallOutcome): void {
    this.addCounts(-1, outcome & FAILED ? -1 : 0, outcome & SLOW ? -1 : 0, outcome === (FAILED | SLOW) ? -1 : 0);
  }

  protected addCounts(calls: number, failed: number, slow: number, slowFailed: number): void {
    this.numberOfCalls += calls;
    this.numberOfFailedCalls += failed;
    this.numberOfSlowCalls += slow;
    this.numberOfSlowFailedCalls += slowFailed;
  }

  /** What inspectors and logs see instead of the buffers. */
  toJSON(): Record<string, number> {
    return {
      numberOfCalls: this.numberOfCalls,
      numberOfFailedCalls: this.numberOfFailedCalls,
      numberOfSlowCalls: this.numberOfSlowCalls,
      numberOfSlowFailedCalls: this.numberOfSlowFailedCalls,
    };
  }
}
