import type { FirstNoticeRule, LastTradeRule } from './expiryRules.ts';
import type { SessionGroup } from './holidayTable.ts';

/**
 * One session of a trade date, on the exchange clock: it closes at `closes` on the trade date and
 * opens at `opens` the same day, or the calendar day before when `opensDayBefore` (Globex's
 * evening open belongs to the next day's trade date).
 */
export interface SessionSpan {
  readonly opens: string;
  readonly closes: string;
  readonly opensDayBefore?: boolean;
}

export interface ProductCalendar {
  readonly symbol: string;
  /** IANA zone luxon reads the exchange clock in. */
  readonly zone: string;
  /** The same zone as IB names it (ContractDetails.timeZoneId). */
  readonly ibTimeZoneId: string;
  readonly sessionGroup: SessionGroup;
  /** Listed contract months, as month codes (F G H J K M N Q U V X Z). */
  readonly cycle: string;
  /** How many unexpired cycle months IB lists at once. */
  readonly listedMonths: number;
  readonly lastTrade: LastTradeRule;
  /** Exchange-local 'HH:MM' at which the expiring contract stops trading on its last trade date. */
  readonly lastTradeTime: string;
  /** Physically delivered products only. */
  readonly firstNotice?: FirstNoticeRule;
  /** 'monthCode': ESZ6, CLG7. 'monthName': CBOT's 'ZN   MAR 27' (symbol padded to five). */
  readonly localSymbolStyle: 'monthCode' | 'monthName';
  /** CME Globex trading sessions of one trade date. */
  readonly trading: readonly SessionSpan[];
  /** Regular (liquid) hours of one trade date. */
  readonly liquid: readonly SessionSpan[];
  /** Where the rules above come from. */
  readonly source: string;
}

const CT = { zone: 'America/Chicago', ibTimeZoneId: 'US/Central' } as const;
const ET = { zone: 'America/New_York', ibTimeZoneId: 'US/Eastern' } as const;

/** CME Globex 17:00–16:00 CT, Sunday evening to Friday afternoon, with the daily 16:00–17:00 break. */
const GLOBEX_CT: readonly SessionSpan[] = [{ opens: '17:00', opensDayBefore: true, closes: '16:00' }];
/** The same Globex week on the NYMEX/COMEX clock: 18:00–17:00 ET. */
const GLOBEX_ET: readonly SessionSpan[] = [{ opens: '18:00', opensDayBefore: true, closes: '17:00' }];
/** CBOT grains: overnight 19:00–07:45 CT, then the day session 08:30–13:20 CT. */
const GRAINS: readonly SessionSpan[] = [
  { opens: '19:00', opensDayBefore: true, closes: '07:45' },
  { opens: '08:30', closes: '13:20' },
];

const QUARTERLY = 'HMUZ';
const THIRD_FRIDAY: LastTradeRule = { kind: 'nthWeekday', weekday: 5, nth: 3 };
const TREASURY_LAST_TRADE: LastTradeRule = { kind: 'businessDaysBeforeLastBusinessDay', n: 7 };
const GRAIN_LAST_TRADE: LastTradeRule = { kind: 'businessDayBeforeDayOfMonth', day: 15 };
const PRECEDING_MONTH_END: FirstNoticeRule = { kind: 'lastBusinessDayOfPrecedingMonth' };

/**
 * The default products' calendars. Listing depth (`listedMonths`) is what IB shows, rounded to the
 * months anyone trades: ES/NQ the next five quarterlies (CME lists more Decembers further out);
 * ZN/ZB three quarterlies (CBOT lists exactly three, SER-7465); 6E the next six quarterlies (CME
 * lists twenty, only the first few trade); CL 36 consecutive months (NYMEX lists years more, IB
 * shows them all; the tail has no liquidity); GC its active months G J M Q V Z for two years (12;
 * COMEX also lists the current and next two serial months, not modelled); ZC and ZW two years of
 * H K N U Z (10; CBOT lists corn about three years out).
 */
export const PRODUCT_CALENDARS: readonly ProductCalendar[] = [
  {
    symbol: 'ES', ...CT, sessionGroup: 'equity', cycle: QUARTERLY, listedMonths: 5,
    lastTrade: THIRD_FRIDAY, lastTradeTime: '08:30', localSymbolStyle: 'monthCode',
    trading: GLOBEX_CT, liquid: [{ opens: '08:30', closes: '15:15' }],
    source: 'CME Rulebook ch. 358 (E-mini S&P 500): trading terminates 8:30 CT on the 3rd Friday of the contract month (9:30 ET special opening quotation)',
  },
  {
    symbol: 'NQ', ...CT, sessionGroup: 'equity', cycle: QUARTERLY, listedMonths: 5,
    lastTrade: THIRD_FRIDAY, lastTradeTime: '08:30', localSymbolStyle: 'monthCode',
    trading: GLOBEX_CT, liquid: [{ opens: '08:30', closes: '15:15' }],
    source: 'CME Rulebook ch. 359 (E-mini Nasdaq-100): trading terminates 8:30 CT on the 3rd Friday of the contract month',
  },
  {
    symbol: 'ZN', ...CT, sessionGroup: 'rates', cycle: QUARTERLY, listedMonths: 3,
    lastTrade: TREASURY_LAST_TRADE, lastTradeTime: '12:01', firstNotice: PRECEDING_MONTH_END, localSymbolStyle: 'monthName',
    trading: GLOBEX_CT, liquid: [{ opens: '07:20', closes: '14:00' }],
    source: 'CBOT Rulebook ch. 19 (10-Year T-Note): trading terminates 12:01 CT on the 7th business day preceding the last business day of the contract month; first notice the last business day of the preceding month (ch. 19 delivery, CME contract calendar)',
  },
  {
    symbol: 'ZB', ...CT, sessionGroup: 'rates', cycle: QUARTERLY, listedMonths: 3,
    lastTrade: TREASURY_LAST_TRADE, lastTradeTime: '12:01', firstNotice: PRECEDING_MONTH_END, localSymbolStyle: 'monthName',
    trading: GLOBEX_CT, liquid: [{ opens: '07:20', closes: '14:00' }],
    source: 'CBOT Rulebook ch. 18 (U.S. Treasury Bond): trading terminates 12:01 CT on the 7th business day preceding the last business day of the contract month; first notice the last business day of the preceding month',
  },
  {
    symbol: '6E', ...CT, sessionGroup: 'fx', cycle: QUARTERLY, listedMonths: 6,
    lastTrade: { kind: 'businessDaysBeforeNthWeekday', weekday: 3, nth: 3, n: 2 }, lastTradeTime: '09:16', localSymbolStyle: 'monthCode',
    trading: GLOBEX_CT, liquid: [{ opens: '07:20', closes: '14:00' }],
    source: 'CME Rulebook ch. 261 (Euro/U.S. Dollar): trading terminates 9:16 CT on the 2nd business day before the 3rd Wednesday of the contract month',
  },
  {
    symbol: 'CL', ...ET, sessionGroup: 'energy', cycle: 'FGHJKMNQUVXZ', listedMonths: 36,
    lastTrade: { kind: 'businessDaysBeforeDayOfPrecedingMonth', day: 25, n: 3 }, lastTradeTime: '14:30',
    firstNotice: { kind: 'businessDayAfterLastTrade' }, localSymbolStyle: 'monthCode',
    trading: GLOBEX_ET, liquid: [{ opens: '09:00', closes: '14:30' }],
    source: 'NYMEX Rulebook ch. 200 (Light Sweet Crude Oil): trading terminates 3 business days before the 25th calendar day of the month preceding the contract month, or 3 business days before the last business day preceding the 25th when it is not a business day; first notice approximated as the next business day',
  },
  {
    symbol: 'GC', ...ET, sessionGroup: 'metals', cycle: 'GJMQVZ', listedMonths: 12,
    lastTrade: { kind: 'nthLastBusinessDay', n: 3 }, lastTradeTime: '13:30', firstNotice: PRECEDING_MONTH_END, localSymbolStyle: 'monthCode',
    trading: GLOBEX_ET, liquid: [{ opens: '08:20', closes: '13:30' }],
    source: 'COMEX Rulebook ch. 113 (Gold): trading terminates on the 3rd last business day of the contract month; first notice the last business day of the preceding month',
  },
  {
    symbol: 'ZC', ...CT, sessionGroup: 'grains', cycle: 'HKNUZ', listedMonths: 10,
    lastTrade: GRAIN_LAST_TRADE, lastTradeTime: '12:00', firstNotice: PRECEDING_MONTH_END, localSymbolStyle: 'monthName',
    trading: GRAINS, liquid: [{ opens: '08:30', closes: '13:20' }],
    source: 'CBOT Rulebook ch. 10 (Corn): trading terminates at 12:00 CT on the business day prior to the 15th calendar day of the contract month; first notice the last business day of the preceding month',
  },
  {
    symbol: 'ZW', ...CT, sessionGroup: 'grains', cycle: 'HKNUZ', listedMonths: 10,
    lastTrade: GRAIN_LAST_TRADE, lastTradeTime: '12:00', firstNotice: PRECEDING_MONTH_END, localSymbolStyle: 'monthName',
    trading: GRAINS, liquid: [{ opens: '08:30', closes: '13:20' }],
    source: 'CBOT Rulebook ch. 14 (Wheat): trading terminates at 12:00 CT on the business day prior to the 15th calendar day of the contract month; first notice the last business day of the preceding month',
  },
];
