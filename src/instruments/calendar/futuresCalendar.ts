import { civilOf, compactOf, dayOfCompact, minutesOf } from './dayNumber.ts';
import { instantAt, localDayAt } from './exchangeClock.ts';
import { ExchangeDays } from './exchangeDays.ts';
import { firstNoticeDay, lastTradeDay } from './expiryRules.ts';
import { CME_HOLIDAYS_2026_2027, type HolidayRow, TABLE_YEARS } from './holidayTable.ts';
import { ProductSessions, type TradingSession } from './productSessions.ts';
import { PRODUCT_CALENDARS, type ProductCalendar } from './productTable.ts';

export interface ListedContract {
  symbol: string;
  /** 'YYYYMM', the delivery month (IB ContractDetails.contractMonth): CL Feb-2027 is '202702'. */
  contractMonth: string;
  /** 'YYYYMMDD' (IB lastTradeDateOrContractMonth, realExpirationDate). */
  lastTradeDate: string;
  /** Exchange-local 'HH:MM' trading ends on the last trade date (IB lastTradeTime). */
  lastTradeTime: string;
  /** 'YYYYMMDD', physically delivered products only. */
  firstNoticeDate?: string;
  /** IB's local symbol: 'ESZ6', 'CLG7', 'ZN   MAR 27'. */
  localSymbol: string;
}

export type { TradingSession };

export interface FuturesCalendar {
  knows(symbol: string): boolean;
  listed(symbol: string, nowMs: number): ListedContract[];
  contract(symbol: string, contractMonth: string): ListedContract | undefined;
  isTradingAt(symbol: string, nowMs: number): boolean;
  isLiquidAt(symbol: string, nowMs: number): boolean;
  sessionsBetween(symbol: string, fromMs: number, toMs: number): TradingSession[];
  tradingHours(symbol: string, nowMs: number): string;
  liquidHours(symbol: string, nowMs: number): string;
  timeZoneId(symbol: string): string;
  isBusinessDay(symbol: string, date: string): boolean;
  addBusinessDays(symbol: string, date: string, n: number): string;
}

const MONTH_CODES = 'FGHJKMNQUVXZ';
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** Days of the schedule IB returns in ContractDetails (today and the six after). */
const IB_SCHEDULE_DAYS = 7;

interface Contract {
  readonly listed: ListedContract;
  /** The instant the contract stops trading. */
  readonly expiresAt: number;
}

interface ListingMemo {
  /** The list is the answer for every instant in [from, until). */
  from: number;
  until: number;
  contracts: ListedContract[];
}

/** Everything the calendar knows of one product, with its memos. */
class Product {
  readonly sessions: ProductSessions;
  private readonly contracts = new Map<number, Contract | null>();
  private listing: ListingMemo = { from: 0, until: 0, contracts: [] };

  constructor(
    readonly calendar: ProductCalendar,
    readonly days: ExchangeDays,
  ) {
    this.sessions = new ProductSessions(calendar, days);
  }

  /** A cycle month's contract by month index (year * 12 + month - 1); null off-cycle. */
  contractAt(monthIndex: number): Contract | null {
    let contract = this.contracts.get(monthIndex);
    if (contract === undefined) {
      contract = this.build(monthIndex);
      this.contracts.set(monthIndex, contract);
    }
    return contract;
  }

  listed(nowMs: number): ListedContract[] {
    const memo = this.listing;
    if (nowMs >= memo.from && nowMs < memo.until) return memo.contracts;
    const { year, month } = civilOf(localDayAt(nowMs, this.calendar.zone));
    // CL's last trade falls in the month before delivery; start a little early and skip the expired.
    let monthIndex = year * 12 + month - 2;
    let from = -Infinity;
    const contracts: ListedContract[] = [];
    let until = Infinity;
    while (contracts.length < this.calendar.listedMonths) {
      const contract = this.contractAt(monthIndex++);
      if (!contract) continue;
      if (contract.expiresAt <= nowMs) {
        from = Math.max(from, contract.expiresAt);
        continue;
      }
      if (contracts.length === 0) until = contract.expiresAt;
      contracts.push(contract.listed);
    }
    // Without a known earlier expiry the list holds from now only: an earlier instant recomputes.
    this.listing = { from: from === -Infinity ? nowMs : from, until, contracts: Object.freeze(contracts) as ListedContract[] };
    return this.listing.contracts;
  }

  private build(monthIndex: number): Contract | null {
    const year = Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    const code = MONTH_CODES[month - 1]!;
    const { calendar, days } = this;
    if (!calendar.cycle.includes(code)) return null;
    const lastTrade = lastTradeDay(calendar.lastTrade, year, month, days);
    const yy = String(year % 100).padStart(2, '0');
    const listed: ListedContract = {
      symbol: calendar.symbol,
      contractMonth: `${year}${String(month).padStart(2, '0')}`,
      lastTradeDate: compactOf(lastTrade),
      lastTradeTime: calendar.lastTradeTime,
      ...(calendar.firstNotice ? { firstNoticeDate: compactOf(firstNoticeDay(calendar.firstNotice, year, month, lastTrade, days)) } : {}),
      localSymbol:
        calendar.localSymbolStyle === 'monthCode'
          ? `${calendar.symbol}${code}${year % 10}`
          : `${calendar.symbol.padEnd(5)}${MONTH_NAMES[month - 1]} ${yy}`,
    };
    return { listed: Object.freeze(listed), expiresAt: instantAt(lastTrade, minutesOf(calendar.lastTradeTime), calendar.zone) };
  }
}

const CONTRACT_MONTH = /^(\d{4})(\d{2})$/;

class TableCalendar implements FuturesCalendar {
  private readonly products = new Map<string, Product>();

  constructor(products: readonly ProductCalendar[], holidays: readonly HolidayRow[], tableYears: readonly number[]) {
    // Every product here trades on CME Group's exchanges, which share one holiday list.
    const days = new ExchangeDays(holidays, tableYears);
    for (const calendar of products) this.products.set(calendar.symbol, new Product(calendar, days));
  }

  knows(symbol: string): boolean {
    return this.products.has(symbol);
  }

  listed(symbol: string, nowMs: number): ListedContract[] {
    return this.product(symbol).listed(nowMs);
  }

  contract(symbol: string, contractMonth: string): ListedContract | undefined {
    const match = CONTRACT_MONTH.exec(contractMonth);
    if (!match) return undefined;
    const month = Number(match[2]);
    if (month < 1 || month > 12) return undefined;
    return this.product(symbol).contractAt(Number(match[1]) * 12 + month - 1)?.listed;
  }

  isTradingAt(symbol: string, nowMs: number): boolean {
    return this.product(symbol).sessions.isInside('trading', nowMs);
  }

  isLiquidAt(symbol: string, nowMs: number): boolean {
    return this.product(symbol).sessions.isInside('liquid', nowMs);
  }

  sessionsBetween(symbol: string, fromMs: number, toMs: number): TradingSession[] {
    return this.product(symbol).sessions.between('trading', fromMs, toMs);
  }

  tradingHours(symbol: string, nowMs: number): string {
    return this.product(symbol).sessions.ibSchedule('trading', nowMs, IB_SCHEDULE_DAYS);
  }

  liquidHours(symbol: string, nowMs: number): string {
    return this.product(symbol).sessions.ibSchedule('liquid', nowMs, IB_SCHEDULE_DAYS);
  }

  timeZoneId(symbol: string): string {
    return this.product(symbol).calendar.ibTimeZoneId;
  }

  isBusinessDay(symbol: string, date: string): boolean {
    return this.product(symbol).days.isBusinessDay(dayOfCompact(date));
  }

  addBusinessDays(symbol: string, date: string, n: number): string {
    if (!Number.isInteger(n)) throw new Error(`business days must be a whole number, got ${n}`);
    return compactOf(this.product(symbol).days.addBusinessDays(dayOfCompact(date), n));
  }

  private product(symbol: string): Product {
    const product = this.products.get(symbol);
    if (!product) throw new Error(`no futures calendar for ${symbol}`);
    return product;
  }
}

/** A calendar over any product table (tests, or products added later); holidays default to CME's. */
export function createFuturesCalendar(
  products: readonly ProductCalendar[] = PRODUCT_CALENDARS,
  holidays: readonly HolidayRow[] = CME_HOLIDAYS_2026_2027,
  tableYears: readonly number[] = TABLE_YEARS,
): FuturesCalendar {
  return new TableCalendar(products, holidays, tableYears);
}

export const futuresCalendar: FuturesCalendar = createFuturesCalendar();
