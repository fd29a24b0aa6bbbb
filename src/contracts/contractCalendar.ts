import { FALLBACK_ZONE } from '../ib/referenceData/exchangeZone.ts';

/**
 * What contract choice reads of the futures calendar (src/instruments/calendar's FuturesCalendar
 * has this shape): business days and first notice dates, for the symbols it knows.
 */
export interface ContractCalendar {
  knows(symbol: string): boolean;
  contract(symbol: string, contractMonth: string): { lastTradeDate: string; firstNoticeDate?: string } | undefined;
  addBusinessDays(symbol: string, date: string, n: number): string;
  timeZoneId(symbol: string): string;
}

/** No calendar: every symbol is unknown, so rules count calendar days back from the last trade date. */
export const NO_CALENDAR: ContractCalendar = {
  knows: () => false,
  contract: () => undefined,
  addBusinessDays: () => {
    throw new Error('no futures calendar');
  },
  timeZoneId: () => FALLBACK_ZONE,
};
