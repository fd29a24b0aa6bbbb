import { contractMonthOf } from '../cftc/positions/contractMonth.ts';

/** What the monitor asks of the process's contract resolver (src/contracts ContractResolver). */
export interface ContractMonths {
  contractMonthOf(symbol: string, expiry?: string): Promise<string>;
}

/**
 * The delivery month (`YYYYMM`) of a position or fill, by the same resolver the orders and market
 * data use. An order's YYYYMM expiry is the month. A YYYYMMDD one is a last trade date, which for
 * some futures (crude oil) is in the month before delivery: with IB's local symbol the month is
 * read from it (`CLG7`), else it is looked up through reference data (never sliced). No expiry at
 * all: the one month listed, else AmbiguousContractMonthError instead of a guess.
 */
export class ContractMonthResolver {
  /** In the runtime, the process's ContractResolver: IB's contract details through the reference-data cache. */
  constructor(private readonly months: ContractMonths) {}

  async monthOf(symbol: string, expiry?: string, localSymbol?: string): Promise<string> {
    if (expiry && /^\d{6}$/.test(expiry)) return expiry;
    if (expiry && localSymbol) return contractMonthOf({ localSymbol, lastTradeDateOrContractMonth: expiry });
    return this.months.contractMonthOf(symbol, expiry);
  }
}
