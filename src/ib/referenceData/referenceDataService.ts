import type { Contract, ContractDetails } from '@stoqey/ib';
import { futureContract } from '../parsing/contracts.ts';
import type { IbSession } from '../session/ibSession.ts';
import type { ContractDetailsCache } from './contractDetailsCache.ts';
import { contractKey } from './contractKey.ts';
import { listingOf, type ListedFuture } from './listedFuture.ts';

/** Contract details through the two-layer cache, asking IB (the session of the moment) only on a miss. */
export class ReferenceDataService {
  /** Per listing key, the expiry a forced refresh was made for: one refresh per expiry, not one per read. */
  private readonly refreshedFor = new Map<string, number>();
  /**
   * The listing parsed from each details array the cache hands out (memory hits return the same
   * array), so orders, roll checks and history requests do not re-parse every listed month.
   */
  private readonly listings = new WeakMap<readonly ContractDetails[], readonly ListedFuture[]>();

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

  /**
   * The months IB lists for a USD future, ascending, each with its contract month, last trade date
   * and conId. With `now` (the broker's clock), a cached listing whose front month has expired is
   * dropped and asked again once (the listing changed: a month went, a new one may have come), and
   * expired months are never returned.
   */
  async futuresOf(symbol: string, now?: number): Promise<ListedFuture[]> {
    const contract = futureContract(symbol);
    const key = contractKey(contract);
    let listing = this.listingIn(await this.contractDetails(contract));
    if (now === undefined) return [...listing];
    const front = listing[0];
    if (front && front.expiresAt <= now && this.refreshedFor.get(key) !== front.expiresAt) {
      this.refreshedFor.set(key, front.expiresAt);
      await this.cache.invalidate(key);
      listing = this.listingIn(await this.contractDetails(contract));
    }
    return listing.filter((listed) => listed.expiresAt > now);
  }

  private listingIn(details: ContractDetails[]): readonly ListedFuture[] {
    let listing = this.listings.get(details);
    if (!listing) {
      listing = listingOf(details);
      this.listings.set(details, listing);
    }
    return listing;
  }
}
