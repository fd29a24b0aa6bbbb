import { CONSOLIDATION_METHODS, type ConsolidationMethod } from './marketDataConfig.ts';
import type { InstrumentRules } from './instrumentRules.ts';

/** One instrument's consolidated price, as handed to subscribers, the bus and Redis. */
export interface ConsolidatedPrice {
  symbol: string;
  price: number;
  /** NaN when no included source had a two-sided quote. */
  bid: number;
  ask: number;
  /** Newest source timestamp among the included prices (epoch ms). */
  tsMs: number;
  /** Included sources; 0 means no live price (everything stale, late or not streaming). */
  sourceCount: number;
  /** Dispersion of the included sources around `price`, in price units; 0 with one source. */
  confidence: number;
  /** Age of the oldest included price when computed (engine clock minus its source timestamp). */
  oldestAgeMs: number;
  computedAtMs: number;
  method: ConsolidationMethod;
  /** Bumped on every recomputation that was published. */
  version: number;
}

/** The latest consolidated price of every instrument, column-wise. */
export class ConsolidatedPrices {
  readonly price: Float64Array;
  readonly bid: Float64Array;
  readonly ask: Float64Array;
  readonly tsMs: Float64Array;
  readonly sourceCount: Int32Array;
  readonly confidence: Float64Array;
  readonly oldestAgeMs: Float64Array;
  readonly computedAtMs: Float64Array;
  readonly version: Float64Array;

  constructor(size: number) {
    this.price = new Float64Array(size).fill(Number.NaN);
    this.bid = new Float64Array(size).fill(Number.NaN);
    this.ask = new Float64Array(size).fill(Number.NaN);
    this.tsMs = new Float64Array(size);
    this.sourceCount = new Int32Array(size);
    this.confidence = new Float64Array(size);
    this.oldestAgeMs = new Float64Array(size);
    this.computedAtMs = new Float64Array(size);
    this.version = new Float64Array(size);
  }

  /** Copies instrument `index` into `out` (reuse `out` to read without allocating). */
  read(index: number, symbol: string, rules: InstrumentRules, out: ConsolidatedPrice): ConsolidatedPrice {
    out.symbol = symbol;
    out.price = this.price[index]!;
    out.bid = this.bid[index]!;
    out.ask = this.ask[index]!;
    out.tsMs = this.tsMs[index]!;
    out.sourceCount = this.sourceCount[index]!;
    out.confidence = this.confidence[index]!;
    out.oldestAgeMs = this.oldestAgeMs[index]!;
    out.computedAtMs = this.computedAtMs[index]!;
    out.method = CONSOLIDATION_METHODS[rules.method[index]!] ?? 'weighted_average';
    out.version = this.version[index]!;
    return out;
  }
}

export function emptyConsolidatedPrice(): ConsolidatedPrice {
  return {
    symbol: '',
    price: Number.NaN,
    bid: Number.NaN,
    ask: Number.NaN,
    tsMs: 0,
    sourceCount: 0,
    confidence: 0,
    oldestAgeMs: 0,
    computedAtMs: 0,
    method: 'weighted_average',
    version: 0,
  };
}
