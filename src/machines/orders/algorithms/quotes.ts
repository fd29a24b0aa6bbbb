/** The inside market for one instrument, as the execution algorithms and price collar read it. */
export interface Touch {
  bid: number;
  ask: number;
  /** Last consolidated (or traded) price. */
  last: number;
  /** When the price was observed, epoch ms. */
  tsMs: number;
}

/** Where order actors read prices: the consolidated market data, or anything that can give a touch. */
export interface QuoteSource {
  touch(symbol: string): Touch | null;
}
