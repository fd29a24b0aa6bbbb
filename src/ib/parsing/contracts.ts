import type { Contract } from '@stoqey/ib';
import { SecType } from '../stoqeyValues.ts';

/** The security types tradewire sends, by IB's code: a config's text is read through this table, never cast. */
const SEC_TYPES: ReadonlyMap<string, SecType> = new Map(Object.values(SecType).map((secType) => [secType, secType]));

/** IB's security type for its code (`FUT`, `CONTFUT`, `STK`...); unknown codes are a configuration error. */
export function secTypeOf(code: string): SecType {
  const secType = SEC_TYPES.get(code.toUpperCase());
  if (secType === undefined) throw new Error(`unknown IB security type '${code}' (one of ${[...SEC_TYPES.keys()].join(', ')})`);
  return secType;
}

/** Contract fields as configuration carries them: text security type, multiplier as number or text. */
export interface ContractFields {
  symbol?: string | undefined;
  secType: string;
  exchange: string;
  currency: string;
  lastTradeDateOrContractMonth?: string | undefined;
  localSymbol?: string | undefined;
  tradingClass?: string | undefined;
  conId?: number | undefined;
  multiplier?: number | string | undefined;
}

/** What a contract is built from when nothing else is said: a USD future on no particular exchange. */
export const DEFAULT_CONTRACT_FIELDS: ContractFields = { secType: SecType.FUT, exchange: '', currency: 'USD' };

/** Configured contract fields as IB's Contract (the symbol defaults to the key it is configured under). */
export function contractOf(symbol: string, fields: ContractFields = DEFAULT_CONTRACT_FIELDS): Contract {
  return {
    symbol: fields.symbol ?? symbol,
    secType: secTypeOf(fields.secType),
    exchange: fields.exchange,
    currency: fields.currency,
    ...(fields.lastTradeDateOrContractMonth !== undefined ? { lastTradeDateOrContractMonth: fields.lastTradeDateOrContractMonth } : {}),
    ...(fields.localSymbol !== undefined ? { localSymbol: fields.localSymbol } : {}),
    ...(fields.tradingClass !== undefined ? { tradingClass: fields.tradingClass } : {}),
    ...(fields.conId !== undefined ? { conId: fields.conId } : {}),
    ...(fields.multiplier !== undefined ? { multiplier: Number(fields.multiplier) } : {}),
  };
}

/** A USD future by symbol; without a contract month TWS matches every listed month (YYYYMM or YYYYMMDD). */
export function futureContract(symbol: string, where: { exchange?: string; expiry?: string | undefined } = {}): Contract {
  return {
    symbol,
    secType: SecType.FUT,
    ...(where.exchange !== undefined ? { exchange: where.exchange } : {}),
    currency: 'USD',
    ...(where.expiry ? { lastTradeDateOrContractMonth: where.expiry } : {}),
  };
}
