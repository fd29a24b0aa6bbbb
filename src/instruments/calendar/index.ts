/** The futures calendar: listed months, expiries, sessions and holidays, computed from the clock. */
export { createFuturesCalendar, futuresCalendar, type FuturesCalendar, type ListedContract, type TradingSession } from './futuresCalendar.ts';
export { PRODUCT_CALENDARS, type ProductCalendar, type SessionSpan } from './productTable.ts';
export { CME_HOLIDAYS_2026_2027, HOLIDAY_TREATMENTS, TABLE_YEARS, type DayHours, type HolidayRow, type HolidayTreatment, type SessionGroup } from './holidayTable.ts';
export { projectedHolidays } from './holidayRules.ts';
export type { FirstNoticeRule, LastTradeRule } from './expiryRules.ts';
