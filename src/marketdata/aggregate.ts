import { METHOD_BEST_PRICE, METHOD_MEDIAN } from './instrumentRules.ts';
import { medianInto } from './robustStats.ts';

/** The result of aggregating one instrument's included sources; reused, never allocated per round. */
export interface Aggregate {
  price: number;
  bid: number;
  ask: number;
  confidence: number;
}

/** Scratch space for `aggregate`, sized for the most sources an instrument can have. */
export class AggregateScratch {
  readonly twoSidedBid: Float64Array;
  readonly twoSidedAsk: Float64Array;
  readonly twoSidedWeight: Float64Array;
  readonly sort: Float64Array;

  constructor(maxSources: number) {
    this.twoSidedBid = new Float64Array(maxSources);
    this.twoSidedAsk = new Float64Array(maxSources);
    this.twoSidedWeight = new Float64Array(maxSources);
    this.sort = new Float64Array(maxSources);
  }
}

const clamp = (value: number, low: number, high: number): number => (value < low ? low : value > high ? high : value);

/**
 * Consolidates `n >= 1` included sources (reference price, bid, ask, effective weight) into
 * `out`:
 * - weighted_average: sum(w * p) / sum(w); bid and ask the same over the two-sided sources.
 * - median: the median price; bid and ask the medians of the two-sided sources' sides.
 * - best_price: the highest bid and lowest ask; if sources disagree so much that those cross,
 *   the median bid and median ask instead (each source's bid <= its ask, so the k-th smallest
 *   bid <= the k-th smallest ask, and the medians cannot cross). The price is their mid.
 * Results are clamped to the inputs' range: the maths guarantees it, rounding might not.
 *
 * Confidence is the (weighted) root-mean-square deviation of the sources' prices from the
 * consolidated price, like Pyth's aggregate confidence a measure of publisher disagreement; 0
 * when there is one source or they all agree.
 */
export function aggregate(method: number, n: number, price: Float64Array, bid: Float64Array, ask: Float64Array, weight: Float64Array, scratch: AggregateScratch, out: Aggregate): void {
  const tb = scratch.twoSidedBid;
  const ta = scratch.twoSidedAsk;
  const tw = scratch.twoSidedWeight;
  let m = 0;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  let lowBid = Number.POSITIVE_INFINITY;
  let highBid = Number.NEGATIVE_INFINITY;
  let lowAsk = Number.POSITIVE_INFINITY;
  let highAsk = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const p = price[i]!;
    if (p < low) low = p;
    if (p > high) high = p;
    const b = bid[i]!;
    const a = ask[i]!;
    if (b === b && a === a) {
      tb[m] = b;
      ta[m] = a;
      tw[m] = weight[i]!;
      m++;
      if (b < lowBid) lowBid = b;
      if (b > highBid) highBid = b;
      if (a < lowAsk) lowAsk = a;
      if (a > highAsk) highAsk = a;
    }
  }
  const useWeights = method !== METHOD_MEDIAN && method !== METHOD_BEST_PRICE;
  if (method === METHOD_MEDIAN) {
    out.price = clamp(medianInto(price, n, scratch.sort), low, high);
    out.bid = m > 0 ? clamp(medianInto(tb, m, scratch.sort), lowBid, highBid) : Number.NaN;
    out.ask = m > 0 ? clamp(medianInto(ta, m, scratch.sort), lowAsk, highAsk) : Number.NaN;
  } else if (method === METHOD_BEST_PRICE) {
    if (m > 0) {
      let bestBid = highBid;
      let bestAsk = lowAsk;
      if (bestBid > bestAsk) {
        bestBid = clamp(medianInto(tb, m, scratch.sort), lowBid, highBid);
        bestAsk = clamp(medianInto(ta, m, scratch.sort), lowAsk, highAsk);
      }
      out.bid = bestBid;
      out.ask = bestAsk;
      out.price = clamp((bestBid + bestAsk) / 2, bestBid, bestAsk);
    } else {
      out.bid = Number.NaN;
      out.ask = Number.NaN;
      out.price = clamp(medianInto(price, n, scratch.sort), low, high);
    }
  } else {
    out.price = clamp(weightedMean(price, weight, n), low, high);
    out.bid = m > 0 ? clamp(weightedMean(tb, tw, m), lowBid, highBid) : Number.NaN;
    out.ask = m > 0 ? clamp(weightedMean(ta, tw, m), lowAsk, highAsk) : Number.NaN;
  }
  out.confidence = n > 1 ? rmsDeviation(price, useWeights ? weight : undefined, n, out.price) : 0;
}

function weightedMean(values: Float64Array, weights: Float64Array, n: number): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    sum += w * values[i]!;
    total += w;
  }
  return sum / total;
}

function rmsDeviation(values: Float64Array, weights: Float64Array | undefined, n: number, center: number): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const d = values[i]! - center;
    sum += w * d * d;
    total += w;
  }
  return Math.sqrt(sum / total);
}
