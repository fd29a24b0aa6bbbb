import type { Contract, ContractDetails } from '@stoqey/ib';
import { futureContract } from '../parsing/contracts.ts';
import type { IbSession } from '../session/ibSession.ts';
import type { ContractDetailsCache } from './contractDetailsCache.ts';
import { contractKey } from './contractKey.ts';

/** A listed futures contract as contract-month resolution reads it. */
export interface ListedFuture {
  localSymbol: string;
  lastTradeDateOrContractMonth: string;
}

/** Contract details through the two-layer cache, asking IB (the session of the moment) only on a miss. */
export class ReferenceDataService {
  constructor(
    private readonly session: () => IbSession | undefined,
    private readonly cache: ContractDetailsCache<ContractDetails[]>,
  ) {}

  contractDetails(contract: Contract): Promise<ContractDetails[]> {
    return this.cache.get(contractKey(contract), () => {
      const ib = this.session();
      return ib ? ib.contractDetails(contract) : Promise.reject(new Error(`no IB session to look up ${contract.symbol ?? 'a'} contract`));
    });
  }

  /** The USD futures IB lists for a symbol (one listed month places a fill that carries no expiry). */
  async futuresOf(symbol: string): Promise<ListedFuture[]> {
    const details = await this.contractDetails(futureContract(symbol));
    return details.flatMap(({ contract }) =>
      contract?.localSymbol && contract.lastTradeDateOrContractMonth ? [{ localSymbol: contract.localSymbol, lastTradeDateOrContractMonth: contract.lastTradeDateOrContractMonth }] : [],
    );
  }
}
