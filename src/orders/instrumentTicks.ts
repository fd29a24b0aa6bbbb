/**
 * Minimum price increments of the default futures (exchange contract specs); limit-chase and
 * crossing limits are multiples of these. Others come from `orders.tickSizes` in the config.
 */
export const DEFAULT_TICK_SIZES: Readonly<Record<string, number>> = {
  ES: 0.25,
  NQ: 0.25,
  ZN: 0.015625,
  ZB: 0.03125,
  CL: 0.01,
  GC: 0.1,
  ZC: 0.25,
  ZW: 0.25,
  '6E': 0.00005,
};

export function tickSizeFor(symbol: string, overrides: Readonly<Record<string, number>> = {}): number {
  return overrides[symbol] ?? DEFAULT_TICK_SIZES[symbol] ?? overrides['*'] ?? 0.01;
}
