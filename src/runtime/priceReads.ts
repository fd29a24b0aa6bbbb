import type { PricesInput } from '../admin/schemas/priceViews.ts';
import type { ContractResolver } from '../contracts/index.ts';
import type { MarketDataEngine } from '../marketdata/index.ts';

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

/**
 * `GET /prices`: every configured instrument's consolidated price as the engine holds it. `price`
 * is what price collars read (null unless a source is live); `last` is the last one computed, live
 * or not. The month is the one an IB source says it prices the symbol from.
 */
export function pricesOf(engine: MarketDataEngine, contracts: Pick<ContractResolver, 'pricedMonthOf'> | undefined, nowMs: number): PricesInput {
  return {
    prices: engine.instruments.all().map((symbol) => {
      const contractMonth = contracts?.pricedMonthOf(symbol) ?? null;
      const p = engine.lastPrice(symbol);
      if (!p) return { symbol, contractMonth, bid: null, ask: null, last: null, price: null, confidence: 0, sources: 0, updatedAt: null, ageMs: null };
      const stamped = p.tsMs > 0;
      return {
        symbol,
        contractMonth,
        bid: finite(p.bid),
        ask: finite(p.ask),
        last: finite(p.price),
        price: p.sourceCount > 0 ? finite(p.price) : null,
        confidence: finite(p.confidence) ?? 0,
        sources: p.sourceCount,
        updatedAt: stamped ? new Date(p.tsMs).toISOString() : null,
        ageMs: stamped ? Math.max(0, nowMs - p.tsMs) : null,
      };
    }),
  };
}
