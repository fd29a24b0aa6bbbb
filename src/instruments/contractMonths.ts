import type { Instrument } from './instruments.ts';
import type { ListedContract } from './calendar/index.ts';

/**
 * One listed month of a product as a tradable instrument. Every month shares its product's price
 * slot (`index`): the simulator models no calendar spread, so a roll changes the contract, not the level.
 * The configured row keeps its own conId for the month it names; the others get a stable derived one.
 */
export function contractOfMonth(product: Instrument, listed: ListedContract): Instrument {
  const isConfiguredMonth = listed.lastTradeDate === product.lastTradeDateOrContractMonth;
  return {
    ...product,
    conId: isConfiguredMonth ? product.conId : derivedConId(product.symbol, listed.contractMonth),
    lastTradeDateOrContractMonth: listed.lastTradeDate,
    contractMonth: listed.contractMonth,
    lastTradeTime: listed.lastTradeTime,
    localSymbol: listed.localSymbol,
  };
}

/**
 * FNV-1a of "SYMBOL:YYYYMM" into IB's nine-digit conId range: the same month gets the same conId
 * in every simulator run, so a restarted gateway still knows the runtime's contracts.
 */
export function derivedConId(symbol: string, contractMonth: string): number {
  let hash = 0x811c9dc5;
  const key = `${symbol}:${contractMonth}`;
  for (let k = 0; k < key.length; k++) {
    hash ^= key.charCodeAt(k);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 100_000_000 + (hash % 900_000_000);
}
