import type { ContractQuery } from '../../../instruments/catalogue.ts';
import type { FieldReader } from '../fieldReader.ts';

/**
 * conId, symbol, secType, expiry, strike, right, multiplier, exchange, primaryExch, currency,
 * localSymbol, tradingClass: the contract block shared by order and data requests at v100+.
 */
export function readContract(r: FieldReader): ContractQuery {
  const conId = r.int('contract.conId');
  const symbol = r.str('contract.symbol');
  const secType = r.str('contract.secType');
  const lastTradeDateOrContractMonth = r.str('contract.lastTradeDateOrContractMonth');
  r.skip(3, 'contract.strike/right/multiplier');
  const exchange = r.str('contract.exchange');
  r.str('contract.primaryExch');
  const currency = r.str('contract.currency');
  const localSymbol = r.str('contract.localSymbol');
  const tradingClass = r.str('contract.tradingClass');
  return { conId, symbol, secType, lastTradeDateOrContractMonth, exchange, currency, localSymbol, tradingClass };
}

export function isBag(contract: ContractQuery): boolean {
  return (contract.secType ?? '').toUpperCase() === 'BAG';
}
