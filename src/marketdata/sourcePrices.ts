/**
 * Per instrument x source state, at `instrument * maxSources + source`: the last accepted quote,
 * the spike filter's memory, and a held-back spike if there is one.
 */
export class SourcePrices {
  readonly hasPrice: Uint8Array;
  readonly bid: Float64Array;
  readonly ask: Float64Array;
  readonly last: Float64Array;
  /** The price QC and consolidation use: the mid when both sides are known, else last, else the one side. */
  readonly ref: Float64Array;
  readonly tsMs: Float64Array;
  readonly receivedMs: Float64Array;
  /** Newest source timestamp accepted or held, for the going-backwards check. */
  readonly seenTsMs: Float64Array;
  /** Source timestamp of the last accepted change of `ref`: the spike filter measures elapsed time from here. */
  readonly changeTsMs: Float64Array;
  readonly ewmaAbsDailyChange: Float64Array;
  readonly changes: Int32Array;
  readonly held: Uint8Array;
  readonly heldBid: Float64Array;
  readonly heldAsk: Float64Array;
  readonly heldLast: Float64Array;
  readonly heldRef: Float64Array;
  readonly heldTsMs: Float64Array;
  readonly heldReceivedMs: Float64Array;
  /** Source timestamp of the price last logged as an outlier, so one price is logged once however many rounds it sits out. */
  readonly outlierLoggedTsMs: Float64Array;

  constructor(slots: number) {
    this.hasPrice = new Uint8Array(slots);
    this.bid = new Float64Array(slots).fill(Number.NaN);
    this.ask = new Float64Array(slots).fill(Number.NaN);
    this.last = new Float64Array(slots).fill(Number.NaN);
    this.ref = new Float64Array(slots).fill(Number.NaN);
    this.tsMs = new Float64Array(slots);
    this.receivedMs = new Float64Array(slots);
    this.seenTsMs = new Float64Array(slots).fill(Number.NEGATIVE_INFINITY);
    this.changeTsMs = new Float64Array(slots);
    this.ewmaAbsDailyChange = new Float64Array(slots);
    this.changes = new Int32Array(slots);
    this.held = new Uint8Array(slots);
    this.heldBid = new Float64Array(slots);
    this.heldAsk = new Float64Array(slots);
    this.heldLast = new Float64Array(slots);
    this.heldRef = new Float64Array(slots);
    this.heldTsMs = new Float64Array(slots);
    this.heldReceivedMs = new Float64Array(slots);
    this.outlierLoggedTsMs = new Float64Array(slots).fill(Number.NaN);
  }
}

/** The reference price of a quote: mid if two-sided, else last, else whichever side is known. */
export function referencePrice(bid: number, ask: number, last: number): number {
  if (bid === bid && ask === ask) return (bid + ask) / 2;
  if (last === last) return last;
  return bid === bid ? bid : ask;
}
