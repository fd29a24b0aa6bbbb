import { dayOf } from './dayNumber.ts';
import type { ExchangeDays } from './exchangeDays.ts';
import { nthWeekday } from './holidayRules.ts';

/** Last-trade rules as the rulebooks state them, as data a product row names. */
export type LastTradeRule =
  /** The nth weekday of the contract month; the business day before if that is a holiday. */
  | { readonly kind: 'nthWeekday'; readonly weekday: number; readonly nth: number }
  /** `n` business days before the nth weekday of the contract month (6E: 2 before the third Wednesday). */
  | { readonly kind: 'businessDaysBeforeNthWeekday'; readonly weekday: number; readonly nth: number; readonly n: number }
  /** `n` business days before the last business day of the contract month (Treasuries: 7). */
  | { readonly kind: 'businessDaysBeforeLastBusinessDay'; readonly n: number }
  /** The `n`th-last business day of the contract month (gold: third last, n = 3). */
  | { readonly kind: 'nthLastBusinessDay'; readonly n: number }
  /** The business day before calendar day `day` of the contract month (grains: the 15th). */
  | { readonly kind: 'businessDayBeforeDayOfMonth'; readonly day: number }
  /**
   * `n` business days before calendar day `day` of the month before the contract month, or, if that
   * day is not a business day, `n` before the last business day preceding it (crude: 3, the 25th).
   */
  | { readonly kind: 'businessDaysBeforeDayOfPrecedingMonth'; readonly day: number; readonly n: number };

export type FirstNoticeRule =
  /** Last business day of the month before the contract month (CBOT grains and Treasuries, COMEX gold). */
  | { readonly kind: 'lastBusinessDayOfPrecedingMonth' }
  /** The business day after the last trade date (crude: delivery notices follow termination). */
  | { readonly kind: 'businessDayAfterLastTrade' };

function precedingMonth(year: number, month: number): [number, number] {
  return month === 1 ? [year - 1, 12] : [year, month - 1];
}

export function lastTradeDay(rule: LastTradeRule, year: number, month: number, days: ExchangeDays): number {
  switch (rule.kind) {
    case 'nthWeekday':
      return days.onOrBefore(nthWeekday(year, month, rule.weekday, rule.nth));
    case 'businessDaysBeforeNthWeekday':
      return days.addBusinessDays(nthWeekday(year, month, rule.weekday, rule.nth), -rule.n);
    case 'businessDaysBeforeLastBusinessDay':
      return days.addBusinessDays(days.lastBusinessDayOfMonth(year, month), -rule.n);
    case 'nthLastBusinessDay':
      return days.addBusinessDays(days.lastBusinessDayOfMonth(year, month), -(rule.n - 1));
    case 'businessDayBeforeDayOfMonth':
      return days.addBusinessDays(dayOf(year, month, rule.day), -1);
    case 'businessDaysBeforeDayOfPrecedingMonth': {
      const [y, m] = precedingMonth(year, month);
      const anchor = dayOf(y, m, rule.day);
      const from = days.isBusinessDay(anchor) ? anchor : days.addBusinessDays(anchor, -1);
      return days.addBusinessDays(from, -rule.n);
    }
  }
}

export function firstNoticeDay(rule: FirstNoticeRule, year: number, month: number, lastTrade: number, days: ExchangeDays): number {
  switch (rule.kind) {
    case 'lastBusinessDayOfPrecedingMonth': {
      const [y, m] = precedingMonth(year, month);
      return days.lastBusinessDayOfMonth(y, m);
    }
    case 'businessDayAfterLastTrade':
      return days.addBusinessDays(lastTrade, 1);
  }
}
