import { exchangeZone } from '../ib/referenceData/exchangeZone.ts';
import { addDays, calendarDateAt } from '../shared/calendarDays.ts';
import type { ContractCalendar } from './contractCalendar.ts';
import { describePolicy, type ContractPolicy, type RollRule } from './contractPolicy.ts';

/** What the choice reads of a listed month (src/ib/referenceData's ListedFuture has it). */
export interface ListedMonth {
  contractMonth: string;
  lastTradeDate: string;
  /** When trading in it ends, epoch ms. */
  expiresAt: number;
  timeZoneId?: string;
}

/** No listed, unexpired month satisfies the policy (nothing listed, or an explicit month that is not). */
export class NoContractMonthError extends Error {
  override readonly name = 'NoContractMonthError';
}

/** The exchange date on which `rule` moves off `listed`: N business days (calendar days for a symbol the calendar does not know) before the rule date. */
export function rollDateOf(symbol: string, listed: ListedMonth, rule: RollRule, calendar: ContractCalendar): string {
  const known = calendar.knows(symbol);
  let from = listed.lastTradeDate;
  if (rule.from === 'firstNotice' && known) {
    const firstNotice = calendar.contract(symbol, listed.contractMonth)?.firstNoticeDate;
    if (firstNotice && firstNotice < from) from = firstNotice;
  }
  return known ? calendar.addBusinessDays(symbol, from, -rule.businessDaysBefore) : addDays(from, -rule.businessDaysBefore);
}

/** The zone whose dates the rules count in: the calendar's, else IB's, else (or when unreadable) Chicago. */
export function zoneOf(symbol: string, listed: readonly ListedMonth[], calendar: ContractCalendar): string {
  return exchangeZone(calendar.knows(symbol) ? calendar.timeZoneId(symbol) : listed.find((l) => l.timeZoneId)?.timeZoneId);
}

/**
 * The month a policy trades at `nowMs` (the broker's clock), from what the broker lists. Always a
 * listed month that has not expired. A roll rule holds each month until its roll date (that date
 * belongs to the next month, from the exchange day's start) and never goes back to an earlier one
 * as time passes; when every month is past its roll date the last listed one is held.
 */
export function chooseContractMonth<L extends ListedMonth>(symbol: string, listing: readonly L[], policy: ContractPolicy, nowMs: number, calendar: ContractCalendar): L {
  const live = listing.filter((l) => l.expiresAt > nowMs).sort((a, b) => a.contractMonth.localeCompare(b.contractMonth));
  if (live.length === 0) throw new NoContractMonthError(`the broker lists no unexpired ${symbol} futures contract`);
  if (policy === 'front') return live[0]!;
  if (typeof policy === 'string') {
    const month = live.find((l) => l.contractMonth === policy);
    if (!month) throw new NoContractMonthError(`${symbol} ${policy} (contract policy ${describePolicy(policy)}) is not listed or has expired; listed: ${live.map((l) => l.contractMonth).join(', ')}`);
    return month;
  }
  const today = calendarDateAt(nowMs, zoneOf(symbol, live, calendar));
  return live.find((l) => today < rollDateOf(symbol, l, policy.roll, calendar)) ?? live[live.length - 1]!;
}
