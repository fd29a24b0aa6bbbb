import type { ContractResolver } from '../contracts/index.ts';
import { NoHistoryContractError, type HistoricalBarsRequest } from '../ib/session/historicalBars.ts';
import { errorMessage } from '../shared/errorMessage.ts';

/**
 * A history request for a future named by symbol alone asks for the month its contract policy
 * trades now, as subscriptions and orders do: IB finds a future without a month ambiguous when
 * several are listed. A month, conId or local symbol in the request is used as given.
 */
export function inPolicyMonth(contracts: ContractResolver) {
  return async (request: HistoricalBarsRequest): Promise<HistoricalBarsRequest> => {
    const { contract } = request;
    const named = contract.lastTradeDateOrContractMonth || contract.conId || contract.localSymbol;
    if (named || !contract.symbol || (contract.secType ?? 'FUT') !== 'FUT') return request;
    try {
      const resolved = await contracts.current(contract.symbol);
      return { ...request, contract: { ...contract, lastTradeDateOrContractMonth: resolved.contractMonth } };
    } catch (error) {
      throw new NoHistoryContractError(`no contract month for ${contract.symbol}: ${errorMessage(error)}`);
    }
  };
}
