import { createTickBatch, type TickBatch, type TickSink } from '../tickBatch.ts';
import type { Now } from '../../shared/clock.ts';

export type QuoteField = 'bid' | 'ask' | 'last';

export interface TickWriterOptions {
  sourceId: string;
  sink: TickSink;
  /** How many instruments the index knows; ticks for others are rejected. */
  instrumentCount: number;
  capacity?: number;
  /** The source's clock, for `lastTickAt`. */
  now: Now;
  /**
   * Flushes run in a microtask that may belong to another actor's socket callback (IB); an error
   * from the sink is handed here so it fails this source, not whoever owned the socket.
   */
  onError: (error: Error) => void;
}

const wallClockMs = () => performance.timeOrigin + performance.now();

/**
 * Fills the source's TickBatch and hands it to the sink: when full, and otherwise in a microtask
 * after the first tick, so every tick decoded from one socket read or one timer goes out in one
 * batch. Counts what it accepts and rejects; per tick it touches only typed arrays and counters.
 */
export class TickWriter {
  private readonly batch: TickBatch;
  private flushQueued = false;
  private sinceSample = 0;
  accepted = 0;
  rejected = 0;
  lastRejection: string | null = null;
  /** On the source's clock; null until the first accepted tick. */
  lastTickAt: number | null = null;

  constructor(private readonly options: TickWriterOptions) {
    this.batch = createTickBatch(options.sourceId, options.capacity ?? 512);
  }

  /** One quote; NaN for a field the source did not give. Returns whether it was accepted. */
  quote(instrument: number, bid: number, ask: number, last: number, sourceTsMs: number): boolean {
    const problem = this.problemWith(instrument, sourceTsMs) ?? pricesProblem(bid, ask, last);
    if (problem) return this.reject(problem);
    const i = this.nextSlot();
    const b = this.batch;
    b.instrument[i] = instrument;
    b.bid[i] = bid;
    b.ask[i] = ask;
    b.last[i] = last;
    b.sourceTsMs[i] = sourceTsMs;
    b.receivedMs[i] = wallClockMs();
    return true;
  }

  /**
   * One field of a quote, as IB sends them (bid, ask and last arrive as separate ticks). It joins
   * the pending quote for the same instrument when that quote lacks the field, so a bid/ask/last
   * burst becomes one entry.
   */
  field(instrument: number, field: QuoteField, price: number, sourceTsMs: number): boolean {
    const problem = this.problemWith(instrument, sourceTsMs) ?? (Number.isFinite(price) ? null : `${field} is not a finite number`);
    if (problem) return this.reject(problem);
    const b = this.batch;
    const previous = b.count - 1;
    if (previous >= 0 && b.instrument[previous] === instrument && Number.isNaN(b[field][previous])) {
      b[field][previous] = price;
      b.sourceTsMs[previous] = sourceTsMs;
      return true;
    }
    const i = this.nextSlot();
    b.instrument[i] = instrument;
    b.bid[i] = Number.NaN;
    b.ask[i] = Number.NaN;
    b.last[i] = Number.NaN;
    b[field][i] = price;
    b.sourceTsMs[i] = sourceTsMs;
    b.receivedMs[i] = wallClockMs();
    return true;
  }

  /** Hands pending ticks to the sink now. */
  flush(): void {
    this.flushQueued = false;
    if (this.batch.count === 0) return;
    try {
      this.options.sink.ingest(this.batch);
    } catch (error) {
      this.options.onError(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.batch.count = 0;
    }
  }

  /** Accepted ticks since the previous call: the lifecycle machine's coarse view of activity. */
  takeSample(): number {
    const seen = this.sinceSample;
    this.sinceSample = 0;
    return seen;
  }

  private nextSlot(): number {
    if (this.batch.count === this.batch.instrument.length) this.flush();
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
    this.accepted += 1;
    this.sinceSample += 1;
    this.lastTickAt = this.options.now();
    return this.batch.count++;
  }

  private problemWith(instrument: number, sourceTsMs: number): string | null {
    if (!Number.isInteger(instrument) || instrument < 0 || instrument >= this.options.instrumentCount) return `unknown instrument index ${instrument}`;
    if (!Number.isFinite(sourceTsMs)) return 'timestamp is not a finite number';
    return null;
  }

  private reject(reason: string): false {
    this.rejected += 1;
    this.lastRejection = reason;
    return false;
  }
}

/** NaN means "not given"; anything else must be finite, and a quote needs at least one price. */
function pricesProblem(bid: number, ask: number, last: number): string | null {
  if (bid === Number.POSITIVE_INFINITY || bid === Number.NEGATIVE_INFINITY) return 'bid is infinite';
  if (ask === Number.POSITIVE_INFINITY || ask === Number.NEGATIVE_INFINITY) return 'ask is infinite';
  if (last === Number.POSITIVE_INFINITY || last === Number.NEGATIVE_INFINITY) return 'last is infinite';
  if (Number.isNaN(bid) && Number.isNaN(ask) && Number.isNaN(last)) return 'no price';
  return null;
}
