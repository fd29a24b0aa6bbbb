import { DEFAULT_INSTRUMENTS } from './instruments.ts';

/**
 * Contract specs of the default futures, read from the one instrument table (the simulator trades
 * the same one): limit-chase and crossing limits are multiples of the tick size, and orders by
 * symbol are routed to the exchange. Others come from the config.
 */
export const DEFAULT_TICK_SIZES: Readonly<Record<string, number>> = Object.fromEntries(DEFAULT_INSTRUMENTS.map((i) => [i.symbol, i.tickSize]));

export const DEFAULT_EXCHANGES: Readonly<Record<string, string>> = Object.fromEntries(DEFAULT_INSTRUMENTS.map((i) => [i.symbol, i.exchange]));

export function tickSizeFor(symbol: string, overrides: Readonly<Record<string, number>> = {}): number {
  return overrides[symbol] ?? DEFAULT_TICK_SIZES[symbol] ?? overrides['*'] ?? 0.01;
}
