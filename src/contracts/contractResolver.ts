import type { ListedFuture } from '../ib/referenceData/listedFuture.ts';
import { NO_CALENDAR, type ContractCalendar } from './contractCalendar.ts';
import { chooseContractMonth } from './contractChoice.ts';
import { policyFor, type ContractPolicies, type ContractPolicy } from './contractPolicy.ts';

/** The months the broker lists for a symbol (ReferenceDataService.futuresOf); with `now`, unexpired ones only. */
export type ListingLookup = (symbol: string, now?: number) => Promise<ListedFuture[]>;

/** The contract a symbol trades now under its policy. */
export interface ResolvedContract extends ListedFuture {
  symbol: string;
  policy: ContractPolicy;
  /** The broker-clock instant it was resolved for. */
  at: number;
}

/** A symbol listed in several months, and the position or fill did not say which. */
export class AmbiguousContractMonthError extends Error {
  override readonly name = 'AmbiguousContractMonthError';
}

export interface ContractResolverOptions {
  listing: ListingLookup;
  /** The broker's clock (IbSession.brokerClock), epoch ms. */
  now: () => number;
  /**
   * Settles once `now` reads the broker's clock (its first currentTime answer, or a bounded wait):
   * a choice made on the local clock against a gateway whose clock differs would pick a month and
   * then roll away from it a minute later.
   */
  ready?: () => Promise<void>;
  policies?: ContractPolicies;
  /** Business days and first notice dates; without one, rules count calendar days from the last trade date. */
  calendar?: ContractCalendar;
}

/**
 * Which contract month a symbol means, for subscriptions, orders and positions alike: the policy's
 * choice at the broker's now (`current`), or the delivery month of an expiry someone gave
 * (`contractMonthOf`). The decision is `chooseContractMonth` (pure); this adds the broker's listing
 * and clock. Last trade dates seen in any listing are remembered, so `knownContractMonthOf` can
 * answer synchronously (the position book) for every expiry an order or position brought in.
 */
export class ContractResolver {
  private readonly calendar: ContractCalendar;
  /** symbol → last trade date → contract month, from every listing seen. */
  private readonly monthsByLastTrade = new Map<string, Map<string, string>>();
  /** symbol → the month its market data is priced from now (set by IB market-data sources). */
  private readonly pricedMonths = new Map<string, string>();

  constructor(private readonly options: ContractResolverOptions) {
    this.calendar = options.calendar ?? NO_CALENDAR;
  }

  get now(): number {
    return this.options.now();
  }

  policyOf(symbol: string): ContractPolicy {
    return policyFor(this.options.policies, symbol);
  }

  /**
   * Market data for `symbol` is priced from `contractMonth` now (an IB source's subscription, or the
   * new month after a roll's first tick). Orders follow it (`forOrder`), so an order is never
   * checked against, or chased from, the prices of another month.
   */
  pricedFrom(symbol: string, contractMonth: string): void {
    this.pricedMonths.set(symbol, contractMonth);
  }

  /** The month `symbol`'s market data is priced from now, as its IB source last said; undefined before it has. */
  pricedMonthOf(symbol: string): string | undefined {
    return this.pricedMonths.get(symbol);
  }

  /**
   * The contract an order without an expiry trades: the month its market data is priced from while
   * that month is listed and unexpired (during a roll, until the new month's first tick), else the
   * policy's month now.
   */
  async forOrder(symbol: string): Promise<ResolvedContract> {
    await this.options.ready?.();
    const at = this.options.now();
    const policy = this.policyOf(symbol);
    const listing = this.remember(symbol, await this.options.listing(symbol, at));
    const priced = this.pricedMonths.get(symbol);
    const pricedMonth = priced === undefined ? undefined : listing.find((l) => l.contractMonth === priced && l.expiresAt > at);
    return { ...(pricedMonth ?? chooseContractMonth(symbol, listing, policy, at, this.calendar)), symbol, policy, at };
  }

  /** The contract `symbol` trades at the broker's now (or `at`) under its policy. */
  async current(symbol: string, at?: number): Promise<ResolvedContract> {
    if (at === undefined) {
      await this.options.ready?.();
      at = this.options.now();
    }
    const policy = this.policyOf(symbol);
    const listing = this.remember(symbol, await this.options.listing(symbol, at));
    const chosen = chooseContractMonth(symbol, listing, policy, at, this.calendar);
    return { ...chosen, symbol, policy, at };
  }

  /**
   * The delivery month (`YYYYMM`) of an expiry as orders and positions carry it: a YYYYMM is the
   * month; a YYYYMMDD is a last trade date, which for some products (CL) falls in the month before
   * delivery, so it is looked up (calendar, then the broker's listing), never sliced. No expiry:
   * the one month the broker lists, else AmbiguousContractMonthError.
   */
  async contractMonthOf(symbol: string, expiry?: string): Promise<string> {
    const known = this.knownContractMonthOf(symbol, expiry);
    if (known !== undefined) return known;
    const listing = this.remember(symbol, await this.options.listing(symbol));
    const matches = listing.filter((l) => !expiry || l.lastTradeDate === expiry || l.lastTradeDateOrContractMonth.startsWith(expiry));
    const months = [...new Set(matches.map((l) => l.contractMonth))];
    if (months.length === 1) return months[0]!;
    const what = expiry ? `${symbol} expiring ${expiry}` : symbol;
    throw new AmbiguousContractMonthError(
      months.length === 0 ? `the broker lists no futures contract for ${what}` : `${what} is listed in ${months.length} contract months (${months.join(', ')}); the fill or position must carry its expiry`,
    );
  }

  /** `contractMonthOf` without asking anyone: undefined for a last trade date neither the calendar nor a listing seen so far explains. */
  knownContractMonthOf(symbol: string, expiry: string | undefined): string | undefined {
    if (!expiry) return undefined;
    if (/^\d{6}$/.test(expiry)) return expiry;
    if (!/^\d{8}$/.test(expiry)) return undefined;
    return this.monthsByLastTrade.get(symbol)?.get(expiry) ?? this.fromCalendar(symbol, expiry);
  }

  /** The calendar's month whose last trade date this is: it is the delivery month or one to three before it. */
  private fromCalendar(symbol: string, lastTradeDate: string): string | undefined {
    if (!this.calendar.knows(symbol)) return undefined;
    const year = Number(lastTradeDate.slice(0, 4));
    const month = Number(lastTradeDate.slice(4, 6));
    for (let ahead = -1; ahead <= 3; ahead += 1) {
      const index = year * 12 + (month - 1) + ahead;
      const candidate = `${Math.floor(index / 12)}${String((index % 12) + 1).padStart(2, '0')}`;
      if (this.calendar.contract(symbol, candidate)?.lastTradeDate === lastTradeDate) return candidate;
    }
    return undefined;
  }

  private remember(symbol: string, listing: ListedFuture[]): ListedFuture[] {
    let months = this.monthsByLastTrade.get(symbol);
    if (!months) this.monthsByLastTrade.set(symbol, (months = new Map()));
    for (const listed of listing) months.set(listed.lastTradeDate, listed.contractMonth);
    return listing;
  }
}
