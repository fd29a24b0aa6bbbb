import type { ContractDetails } from '@stoqey/ib';
import { DateTime } from 'luxon';
import { exchangeZone } from './exchangeZone.ts';

/** One listed month of a future, as IB's contract details describe it. */
export interface ListedFuture {
  /** IB's local symbol: 'ESZ6', 'CLG7', 'ZN   MAR 27'. */
  localSymbol: string;
  /** The contract's `lastTradeDateOrContractMonth` as IB sent it (YYYYMMDD for a listed future). */
  lastTradeDateOrContractMonth: string;
  /** The delivery month, `YYYYMM` (IB ContractDetails.contractMonth): CL Feb-2027 is '202702' though it stops trading in January. */
  contractMonth: string;
  /** `YYYYMMDD` in the exchange's calendar. */
  lastTradeDate: string;
  conId: number;
  exchange: string;
  /** IB's time zone id of the product ('US/Central'), when it said. */
  timeZoneId?: string;
  /** The instant trading ends (epoch ms): the last trade time on the last trade date, else that day's end, in the product's zone. */
  expiresAt: number;
}

/** The listed future a contract-details answer describes; undefined for anything that is not a dated future. */
function listedFutureOf(details: ContractDetails): ListedFuture | undefined {
  const contract = details.contract;
  const expiry = contract?.lastTradeDateOrContractMonth?.trim() ?? '';
  const lastTradeDate = /^\d{8}/.exec(expiry)?.[0] ?? (/^\d{8}$/.test(details.realExpirationDate ?? '') ? details.realExpirationDate! : undefined);
  const contractMonth = /^\d{6}$/.test(details.contractMonth ?? '') ? details.contractMonth! : /^\d{6}$/.test(expiry) ? expiry : undefined;
  if (!contract?.localSymbol || !lastTradeDate || !contractMonth) return undefined;
  const zone = details.timeZoneId?.trim() || undefined;
  return {
    localSymbol: contract.localSymbol,
    lastTradeDateOrContractMonth: expiry,
    contractMonth,
    lastTradeDate,
    conId: contract.conId ?? 0,
    exchange: contract.exchange ?? '',
    ...(zone ? { timeZoneId: zone } : {}),
    expiresAt: tradingEndsAt(lastTradeDate, details.lastTradeTime ?? timeIn(expiry), zone),
  };
}

/** 'HH:MM' or 'HHMM' from a lastTradeDateOrContractMonth that carries one ('20261218 08:30' or '20261218:0830'). */
function timeIn(expiry: string): string | undefined {
  return /^\d{8}[ :](\d{2}:?\d{2})/.exec(expiry)?.[1];
}

/** The end of trading on `date` in `zone`; a day without a known time ends at midnight (the safe side for "still trading"). */
export function tradingEndsAt(date: string, time: string | undefined, zone: string | undefined): number {
  const resolved = DateTime.fromFormat(date, 'yyyyMMdd', { zone: exchangeZone(zone) });
  const clock = /^(\d{1,2}):?(\d{2})/.exec(time?.trim() ?? '');
  if (!clock) return resolved.plus({ days: 1 }).toMillis();
  return resolved.set({ hour: Number(clock[1]), minute: Number(clock[2]) }).toMillis();
}

/** One entry per contract month, ascending (IB may list a month on several exchanges: the first answer wins). */
export function listingOf(details: readonly ContractDetails[]): ListedFuture[] {
  const byMonth = new Map<string, ListedFuture>();
  for (const entry of details) {
    const listed = listedFutureOf(entry);
    if (listed && !byMonth.has(listed.contractMonth)) byMonth.set(listed.contractMonth, listed);
  }
  return [...byMonth.values()].sort((a, b) => a.contractMonth.localeCompare(b.contractMonth));
}
