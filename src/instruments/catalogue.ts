import { futuresCalendar, type FuturesCalendar, type TradingSession } from './calendar/index.ts';
import { contractOfMonth } from './contractMonths.ts';
import { type Instrument, type InstrumentConfig, instrumentSchema } from './instruments.ts';

export interface ContractQuery {
  conId?: number;
  symbol?: string;
  secType?: string;
  lastTradeDateOrContractMonth?: string;
  exchange?: string;
  currency?: string;
  localSymbol?: string;
  tradingClass?: string;
}

/** What one listing refresh changed: months that expired, and products whose session opened or closed. */
export interface ListingChange {
  expired: Instrument[];
  opened: Instrument[];
  closed: Instrument[];
}

const MINUTE_MS = 60_000;

/**
 * The tradable universe at the simulator's instant. Products are the configured rows (each owns a
 * price slot); contracts are their listed months, recomputed from the futures calendar on each
 * minute boundary of the clock, which is when expiries and session edges fall. A product the
 * calendar does not know is one contract, always open. Lookups follow TWS's matching: conId wins,
 * else symbol/localSymbol plus filters, with a YYYYMM expiry matching the contract month and a
 * YYYYMMDD one the last trade date.
 */
export class InstrumentCatalogue {
  readonly products: readonly Instrument[];
  private readonly bySymbol = new Map<string, Instrument>();
  /** Every contract ever listed: executions and positions of an expired month still resolve. */
  private readonly everListed = new Map<number, Instrument>();
  private listedNow: Instrument[] = [];
  private readonly open: Uint8Array;
  private nextRefreshAt = Number.NEGATIVE_INFINITY;
  private lastRefreshAt = Number.NEGATIVE_INFINITY;

  constructor(
    configs: readonly InstrumentConfig[],
    private readonly calendar: FuturesCalendar = futuresCalendar,
    now: number = Date.now(),
  ) {
    this.products = configs.map((config, index) => {
      const parsed = instrumentSchema.parse(config);
      const priceDecimals = decimalsFor(parsed.tickSize);
      return {
        ...parsed,
        index,
        priceDecimals,
        tickUnits: Math.round(parsed.tickSize * 10 ** priceDecimals),
        contractMonth: parsed.contractMonth ?? parsed.lastTradeDateOrContractMonth.slice(0, 6),
        lastTradeTime: '',
      };
    });
    for (const product of this.products) {
      if (this.bySymbol.has(product.symbol)) throw new Error(`duplicate instrument symbol ${product.symbol}`);
      this.bySymbol.set(product.symbol, product);
    }
    this.open = new Uint8Array(this.products.length);
    this.refresh(now);
  }

  /** The product row for a symbol (its price slot and specs), listed or not. */
  bySymbolName(symbol: string): Instrument | undefined {
    return this.bySymbol.get(symbol);
  }

  byConId(conId: number): Instrument | undefined {
    return this.everListed.get(conId);
  }

  /** The contracts listed now, by product then month. */
  listed(): readonly Instrument[] {
    return this.listedNow;
  }

  /** Per product price slot, 1 while its session is open: the price walk's mask. */
  get openFlags(): Uint8Array {
    return this.open;
  }

  /** Whether the instrument's product is inside a trading session (as of the last refresh). */
  isOpen(instrument: Instrument): boolean {
    return this.open[instrument.index] === 1;
  }

  /** Trading sessions overlapping [fromMs, toMs), ascending; a product the calendar does not know never closes. */
  sessionsBetween(instrument: Instrument, fromMs: number, toMs: number): readonly TradingSession[] {
    if (this.calendar.knows(instrument.symbol)) return this.calendar.sessionsBetween(instrument.symbol, fromMs, toMs);
    return fromMs < toMs ? [{ open: fromMs, close: toMs }] : [];
  }

  tradingHours(instrument: Instrument, now: number): string {
    return this.calendar.knows(instrument.symbol) ? this.calendar.tradingHours(instrument.symbol, now) : '';
  }

  liquidHours(instrument: Instrument, now: number): string {
    return this.calendar.knows(instrument.symbol) ? this.calendar.liquidHours(instrument.symbol, now) : '';
  }

  /** Refreshes once the clock reaches the next minute boundary; one comparison otherwise. */
  refreshIfDue(now: number): ListingChange | undefined {
    return now >= this.nextRefreshAt ? this.refresh(now) : undefined;
  }

  /** Recomputes the listed months and session flags for this instant. */
  refresh(now: number): ListingChange {
    this.nextRefreshAt = (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS;
    const before = new Set(this.listedNow);
    const listed: Instrument[] = [];
    const change: ListingChange = { expired: [], opened: [], closed: [] };
    for (const product of this.products) {
      const known = this.calendar.knows(product.symbol);
      for (const month of known ? this.calendar.listed(product.symbol, now) : [undefined]) {
        const contract = month ? this.contractFor(product, month) : this.contractFor(product);
        listed.push(contract);
        before.delete(contract);
      }
      const isOpen = known ? this.calendar.isTradingAt(product.symbol, now) : true;
      const wasOpen = this.open[product.index] === 1;
      if (isOpen !== wasOpen && Number.isFinite(this.lastRefreshAt)) (isOpen ? change.opened : change.closed).push(product);
      this.open[product.index] = isOpen ? 1 : 0;
    }
    this.lastRefreshAt = now;
    change.expired = [...before];
    this.listedNow = listed;
    return change;
  }

  /** All listed contracts matching a contract description (empty fields do not filter). */
  match(query: ContractQuery): Instrument[] {
    if (query.conId) {
      const byId = this.everListed.get(query.conId);
      return byId && this.listedNow.includes(byId) ? [byId] : [];
    }
    const secType = (query.secType ?? '').toUpperCase();
    if (secType !== '' && secType !== 'FUT' && secType !== 'CONTFUT') return [];
    if (!query.symbol && !query.localSymbol) return [];
    const expiry = query.lastTradeDateOrContractMonth ?? '';
    return this.listedNow.filter((i) => {
      if (query.symbol && query.symbol !== i.symbol) return false;
      if (query.localSymbol && query.localSymbol !== i.localSymbol) return false;
      if (query.exchange && query.exchange !== 'SMART' && query.exchange !== i.exchange) return false;
      if (query.currency && query.currency !== i.currency) return false;
      if (query.tradingClass && query.tradingClass !== i.tradingClass) return false;
      return expiryMatches(expiry, i);
    });
  }

  /** Exactly one listed contract for an order or market-data request, or undefined (ambiguous or unknown). */
  resolve(query: ContractQuery): Instrument | undefined {
    const matches = this.match(query);
    return matches.length === 1 ? matches[0] : undefined;
  }

  private contractFor(product: Instrument, month?: Parameters<typeof contractOfMonth>[1]): Instrument {
    const candidate = month ? contractOfMonth(product, month) : product;
    const existing = this.everListed.get(candidate.conId);
    if (existing && existing.symbol === candidate.symbol && existing.contractMonth === candidate.contractMonth) return existing;
    if (existing) throw new Error(`conId ${candidate.conId} of ${candidate.localSymbol} is already ${existing.localSymbol}'s: give the instrument another conId`);
    this.everListed.set(candidate.conId, candidate);
    return candidate;
  }
}

/** IB's reading of lastTradeDateOrContractMonth: YYYYMM is the contract month, YYYYMMDD the last trade date. */
function expiryMatches(expiry: string, i: Instrument): boolean {
  if (expiry === '') return true;
  if (expiry.length === 6) return expiry === i.contractMonth;
  return expiry.slice(0, 8) === i.lastTradeDateOrContractMonth;
}

function decimalsFor(tickSize: number): number {
  for (let d = 0; d <= 10; d++) {
    const scaled = tickSize * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9) return d;
  }
  return 10;
}
