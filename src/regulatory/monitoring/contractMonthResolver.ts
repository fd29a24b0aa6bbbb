import { contractMonthOf } from '../cftc/positions/contractMonth.ts';

/** What the resolver asks the broker: its futures contracts for a symbol (IB reqContractDetails). */
export type ContractLookup = (symbol: string) => Promise<{ localSymbol: string; lastTradeDateOrContractMonth: string }[]>;

export class AmbiguousContractMonthError extends Error {
  override readonly name = 'AmbiguousContractMonthError';
}

/**
 * The delivery month (`YYYYMM`) of a position or fill. An order's YYYYMM expiry is the month; a
 * YYYYMMDD one is a last trade date, which for some futures (crude oil) is in the month before
 * delivery, so it, like no expiry at all, is looked up from the broker's contract. A symbol with
 * several listed months and no expiry cannot be placed, and says so instead of guessing.
 */
export class ContractMonthResolver {
  /** In the runtime, IB's contract details through the reference-data cache (src/ib/referenceData): it remembers them for its TTL, and a failed lookup briefly. */
  constructor(private readonly lookup: ContractLookup) {}

  async monthOf(symbol: string, expiry?: string, localSymbol?: string): Promise<string> {
    if (expiry && /^\d{6}$/.test(expiry)) return expiry;
    if (expiry && localSymbol) return contractMonthOf({ localSymbol, lastTradeDateOrContractMonth: expiry });
    return this.fromBroker(symbol, expiry);
  }

  private async fromBroker(symbol: string, expiry: string | undefined): Promise<string> {
    const contracts = (await this.lookup(symbol)).filter((c) => !expiry || c.lastTradeDateOrContractMonth.startsWith(expiry));
    const months = [...new Set(contracts.map((c) => contractMonthOf(c)))];
    if (months.length === 1) return months[0]!;
    const what = expiry ? `${symbol} expiring ${expiry}` : symbol;
    throw new AmbiguousContractMonthError(
      months.length === 0 ? `the broker lists no futures contract for ${what}` : `${what} is listed in ${months.length} contract months (${months.join(', ')}); the fill or position must carry its expiry`,
    );
  }
}
