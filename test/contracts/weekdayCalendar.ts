import { DateTime } from 'luxon';
import type { ContractCalendar } from '../../src/contracts/index.ts';
import { tradingEndsAt } from '../../src/ib/referenceData/listedFuture.ts';

export const ZONE = 'America/Chicago';

const day = (date: string) => DateTime.fromFormat(date, 'yyyyMMdd', { zone: 'UTC' });
const isWeekday = (date: string) => day(date).weekday <= 5;

/** Business days strictly after `from` up to and including `to` (weekdays). */
export function weekdaysBetween(from: string, to: string): number {
  let count = 0;
  for (let d = day(from).plus({ days: 1 }); d <= day(to); d = d.plus({ days: 1 })) if (d.weekday <= 5) count += 1;
  return count;
}

/** Third Friday of a month, 'YYYYMMDD'. */
export function thirdFriday(month: string): string {
  let d = DateTime.fromFormat(`${month}01`, 'yyyyMMdd', { zone: 'UTC' });
  while (d.weekday !== 5) d = d.plus({ days: 1 });
  return d.plus({ weeks: 2 }).toFormat('yyyyMMdd');
}

/** The last weekday of the month before `month`: a first notice date in the style of the CBOT/COMEX products. */
export function lastWeekdayBefore(month: string): string {
  let d = DateTime.fromFormat(`${month}01`, 'yyyyMMdd', { zone: 'UTC' }).minus({ days: 1 });
  while (d.weekday > 5) d = d.minus({ days: 1 });
  return d.toFormat('yyyyMMdd');
}

/**
 * A test stand-in for src/instruments/calendar (same shape): knows `PHYS` (physically delivered:
 * first notice the last weekday of the month before delivery) and `CASH`; business days are weekdays.
 */
export const weekdayCalendar: ContractCalendar = {
  knows: (symbol) => symbol === 'PHYS' || symbol === 'CASH',
  contract: (symbol, contractMonth) => ({ lastTradeDate: thirdFriday(contractMonth), ...(symbol === 'PHYS' ? { firstNoticeDate: lastWeekdayBefore(contractMonth) } : {}) }),
  addBusinessDays: (_symbol, date, n) => {
    let d = day(date);
    const step = n < 0 ? -1 : 1;
    for (let left = Math.abs(n); left > 0; ) {
      d = d.plus({ days: step });
      if (isWeekday(d.toFormat('yyyyMMdd'))) left -= 1;
    }
    return d.toFormat('yyyyMMdd');
  },
  timeZoneId: () => ZONE,
};

/** Quarterly months from `first` (YYYYMM), `count` of them, expiring the third Friday at 08:30 Chicago. */
export function quarterlyListing(first: string, count: number) {
  const start = Number(first.slice(0, 4)) * 12 + Number(first.slice(4, 6)) - 1;
  return Array.from({ length: count }, (_, i) => {
    const index = start + 3 * i;
    const contractMonth = `${Math.floor(index / 12)}${String((index % 12) + 1).padStart(2, '0')}`;
    const lastTradeDate = thirdFriday(contractMonth);
    return { contractMonth, lastTradeDate, expiresAt: tradingEndsAt(lastTradeDate, '08:30', ZONE), timeZoneId: ZONE };
  });
}
