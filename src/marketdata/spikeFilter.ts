/**
 * pysystemtrade's spike test, per source and instrument: a price change is put in daily units
 * (divided by the square root of the elapsed days, as volatility grows with the square root of
 * time) and compared with the EWMA of the absolute daily changes seen so far. Over
 * `maxPriceSpike` of those, it is a spike.
 */
export const MS_PER_DAY = 86_400_000;

/**
 * Two ticks stamped in the same millisecond would divide by zero; a millisecond is the finest
 * step source timestamps carry.
 */
export const MIN_ELAPSED_MS = 1;

export function dailyUnitChange(change: number, elapsedMs: number): number {
  const elapsed = elapsedMs > MIN_ELAPSED_MS ? elapsedMs : MIN_ELAPSED_MS;
  return change / Math.sqrt(elapsed / MS_PER_DAY);
}

/**
 * The next EWMA of absolute daily changes after observation number `observations` (1-based).
 * Early on the weight is 1/n, so the average starts as the plain mean instead of being dragged
 * towards an arbitrary initial zero.
 */
export function nextEwma(previous: number, absDailyChange: number, observations: number, alpha: number): number {
  const weight = 1 / observations > alpha ? 1 / observations : alpha;
  return previous + weight * (absDailyChange - previous);
}

export function ewmaAlpha(span: number): number {
  return 2 / (span + 1);
}

/**
 * The change in units of the average daily change. Infinity when the average is still zero
 * (every earlier change was zero); callers only ask after the warm-up and for non-zero changes.
 */
export function spikeRatio(absDailyChange: number, ewmaAbsDailyChange: number): number {
  return ewmaAbsDailyChange > 0 ? absDailyChange / ewmaAbsDailyChange : Number.POSITIVE_INFINITY;
}
