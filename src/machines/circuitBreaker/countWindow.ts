import type { CallOutcome } from './callOutcome.ts';
import type { SlidingWindow } from './slidingWindowShape.ts';
import { WindowTotals } from './windowTotals.ts';

/** The last `size` calls, in a ring of one byte per call. */
export class CountWindow extends WindowTotals implements SlidingWindow {
  private readonly outcomes: Uint8Array;
  private next = 0;

  constructor(readonly size: number) {
    super();
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`count window size must be a positive integer, got ${size}`);
    this.outcomes = new Uint8Array(size);
  }

  record(outcome: CallOutcome, _atMs: number): void {
    if (this.numberOfCalls === this.size) this.remove(this.outcomes[this.next] as CallOutcome);
    this.outcomes[this.next] = outcome;
    this.add(outcome);
    this.next = (this.next + 1) % this.size;
  }
}
