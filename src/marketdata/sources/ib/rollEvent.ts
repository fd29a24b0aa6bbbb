/** The bus topic of a contract roll in market data. */
export const MARKET_DATA_ROLL_TOPIC = 'market_data.roll';

/** `market_data.roll`: the source now prices `symbol` from month `to` instead of `from` (YYYYMM), since `at` (ISO, broker clock). */
export interface MarketDataRoll {
  symbol: string;
  from: string;
  to: string;
  at: string;
  /** The source that rolled (each IB source rolls its own subscription). */
  sourceId: string;
}
