import { EXCLUSION_REASON_COUNT, Reject, REJECT_REASON_COUNT } from './rejectReasons.ts';

/**
 * What happened to every tick, per source: received = accepted + rejected (all reasons) + held
 * now. Plain Float64Arrays (exact integers up to 2^53) so counting costs one add.
 */
export class TickCounters {
  readonly received: Float64Array;
  readonly accepted: Float64Array;
  /** `source * REJECT_REASON_COUNT + reason`. */
  readonly rejected: Float64Array;
  /** Spikes held back right now, waiting for the source's next price. */
  readonly held: Float64Array;
  /** Held spikes the next price confirmed (these are also in `accepted`). */
  readonly released: Float64Array;
  /** Consolidation rounds a source's price sat out: `source * EXCLUSION_REASON_COUNT + reason`. */
  readonly excluded: Float64Array;
  /** Ticks of sources that found no free slot, by source id (counted per batch, not per tick). */
  readonly overflow = new Map<string, number>();
  /** Subscribers that threw; they never stop consolidation. */
  listenerErrors = 0;
  /** Batches that were malformed beyond single bad ticks (missing arrays, ...). */
  malformedBatches = 0;

  constructor(sources: number) {
    this.received = new Float64Array(sources);
    this.accepted = new Float64Array(sources);
    this.rejected = new Float64Array(sources * REJECT_REASON_COUNT);
    this.held = new Float64Array(sources);
    this.released = new Float64Array(sources);
    this.excluded = new Float64Array(sources * EXCLUSION_REASON_COUNT);
  }

  /** Entries a batch declared but whose arrays were too short to hold: received, and rejected as non-finite. */
  countUnreadable(source: number, count: number): void {
    this.received[source]! += count;
    this.rejected[source * REJECT_REASON_COUNT + Reject.NonFinite]! += count;
  }

  rejectedBy(source: number, reason: number): number {
    return this.rejected[source * REJECT_REASON_COUNT + reason]!;
  }

  excludedBy(source: number, reason: number): number {
    return this.excluded[source * EXCLUSION_REASON_COUNT + reason]!;
  }

  /** Totals over every source, overflow included; `received` must equal the other three summed. */
  totals(): { received: number; accepted: number; rejected: number; held: number } {
    let received = 0;
    let accepted = 0;
    let rejected = 0;
    let held = 0;
    for (let s = 0; s < this.received.length; s++) {
      received += this.received[s]!;
      accepted += this.accepted[s]!;
      held += this.held[s]!;
      for (let r = 0; r < REJECT_REASON_COUNT; r++) rejected += this.rejected[s * REJECT_REASON_COUNT + r]!;
    }
    for (const count of this.overflow.values()) {
      received += count;
      rejected += count;
    }
    return { received, accepted, rejected, held };
  }
}
