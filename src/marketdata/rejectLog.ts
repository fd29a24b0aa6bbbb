import { REJECT_REASONS } from './rejectReasons.ts';

/** Reasons a raw value is kept for review: the tick rejections, plus cross-source outliers. */
export const REVIEW_REASONS = [...REJECT_REASONS, 'outlier'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];
export const REVIEW_OUTLIER = REJECT_REASONS.length;

export interface RejectedTick {
  /** Monotonic position in the log, for cursors. */
  seq: number;
  atMs: number;
  source: number;
  /** The raw instrument index the tick carried (may be out of range for unknown_instrument). */
  instrument: number;
  reason: ReviewReason;
  bid: number;
  ask: number;
  last: number;
  sourceTsMs: number;
  receivedMs: number;
}

/**
 * The raw values of the last `capacity` rejected ticks, in a ring of typed arrays so a flood of
 * garbage costs no allocation. Older entries are overwritten; `written` keeps counting so a
 * reader can tell what it missed.
 */
export class RejectLog {
  written = 0;
  private readonly source: Int32Array;
  private readonly instrument: Int32Array;
  private readonly reason: Uint8Array;
  private readonly values: Float64Array;
  private static readonly FIELDS = 6;

  constructor(readonly capacity: number) {
    this.source = new Int32Array(capacity);
    this.instrument = new Int32Array(capacity);
    this.reason = new Uint8Array(capacity);
    this.values = new Float64Array(capacity * RejectLog.FIELDS);
  }

  push(atMs: number, source: number, instrument: number, reason: number, bid: number, ask: number, last: number, sourceTsMs: number, receivedMs: number): void {
    const slot = this.written % this.capacity;
    this.source[slot] = source;
    this.instrument[slot] = instrument;
    this.reason[slot] = reason;
    const base = slot * RejectLog.FIELDS;
    const values = this.values;
    values[base] = atMs;
    values[base + 1] = bid;
    values[base + 2] = ask;
    values[base + 3] = last;
    values[base + 4] = sourceTsMs;
    values[base + 5] = receivedMs;
    this.written++;
  }

  /** The oldest sequence number still in the ring. */
  get oldestSeq(): number {
    return Math.max(0, this.written - this.capacity);
  }

  /** Entry `seq`, or undefined once overwritten (or not written yet). */
  at(seq: number): RejectedTick | undefined {
    if (seq < this.oldestSeq || seq >= this.written) return undefined;
    const slot = seq % this.capacity;
    const base = slot * RejectLog.FIELDS;
    const values = this.values;
    return {
      seq,
      atMs: values[base]!,
      source: this.source[slot]!,
      instrument: this.instrument[slot]!,
      reason: REVIEW_REASONS[this.reason[slot]!] ?? 'non_finite',
      bid: values[base + 1]!,
      ask: values[base + 2]!,
      last: values[base + 3]!,
      sourceTsMs: values[base + 4]!,
      receivedMs: values[base + 5]!,
    };
  }

  /** Newest first, at most `limit`. */
  recent(limit: number): RejectedTick[] {
    const out: RejectedTick[] = [];
    for (let seq = this.written - 1; seq >= this.oldestSeq && out.length < limit; seq--) out.push(this.at(seq)!);
    return out;
  }
}
