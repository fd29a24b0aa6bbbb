import type { Contract, ContractDetails } from '@stoqey/ib';
import type { IbSession } from '../session/ibSession.ts';
import type { ContractDetailsCache } from './contractDetailsCache.ts';
import { contractKey } from './contractKey.ts';

/** Contract details through the two-layer cache, asking IB only on a miss. */
export class ReferenceDataService {
  constructor(
    private readonly session: IbSession,
    private readonly cache: ContractDetailsCache<ContractDetails[]>,
  ) {}

  contractDetails(contract: Contract): Promise<ContractDetails[]> {
    return this.cache.get(contractKey(contract), () => this.session.contractDetails(contract));
  }
}
