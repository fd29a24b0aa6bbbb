import type { BarSizeSetting, Contract, WhatToShow } from '@stoqey/ib';
import type { HistoricalRequest } from '../pacing/index.ts';
import type { RequestCorrelator } from './requestCorrelator.ts';

/** What to ask IB's reqHistoricalData for (never `keepUpToDate`: these are one-off answers). */
export interface HistoricalBarsRequest {
  contract: Contract;
  /** `yyyyMMdd-HH:mm:ss` in UTC, or '' for now. */
  endDateTime: string;
  /** IB's duration string, e.g. `1 D`, `3600 S`. */
  duration: string;
  barSize: BarSizeSetting;
  whatToShow: WhatToShow;
  useRth: boolean;
}

/** One bar of IB historical data as the session hands it on (`time` as IB formatted it). */
export interface HistoricalBar {
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  wap: number;
  count: number;
}

/** @stoqey/ib ends a historical answer with a pseudo-bar whose time starts with this. */
const HISTORICAL_END_MARKER = 'finished';

/** The `historicalData` listener that hands each bar of an answer, then its end, to the correlator. */
export function historicalDataListener(correlator: Pick<RequestCorrelator, 'item' | 'end'>) {
  return (reqId: number, time: string, open: number, high: number, low: number, close: number, volume: number, count: number | undefined, wap: number): void => {
    if (time.startsWith(HISTORICAL_END_MARKER)) correlator.end(reqId);
    else correlator.item(reqId, { time, open, high, low, close, volume, wap, count: count ?? 0 } satisfies HistoricalBar);
  };
}

/** The fields IB's pacing rules compare: the contract by conId when known, else by what names it. */
export function pacingKeyOf(request: HistoricalBarsRequest): HistoricalRequest {
  const { contract } = request;
  return {
    contract: contract.conId ? String(contract.conId) : [contract.secType, contract.symbol, contract.lastTradeDateOrContractMonth ?? '', contract.localSymbol ?? ''].join(':'),
    exchange: contract.exchange ?? '',
    whatToShow: request.whatToShow,
    endDateTime: request.endDateTime,
    duration: request.duration,
    barSize: request.barSize,
    useRth: request.useRth,
  };
}

/** The connection that would answer is not online here (connecting, or this node stands by). */
export class NoBrokerSessionError extends Error {
  override readonly name = 'NoBrokerSessionError';
}

/** The request named a future without a month and no month could be chosen for it (none listed, policy month expired). */
export class NoHistoryContractError extends Error {
  override readonly name = 'NoHistoryContractError';
}

/**
 * Historical bars through whichever session `session()` gives now; refuses at once when it is not
 * online rather than holding the caller until the connection comes back. `prepare` completes the
 * request first (the month of a future named without one).
 */
export function historicalBarsThrough(
  session: () => { online: boolean; historicalBars(request: HistoricalBarsRequest): Promise<HistoricalBar[]> } | undefined,
  prepare: (request: HistoricalBarsRequest) => Promise<HistoricalBarsRequest> = async (request) => request,
) {
  return async (request: HistoricalBarsRequest): Promise<HistoricalBar[]> => {
    const current = session();
    if (!current?.online) throw new NoBrokerSessionError('the IB connection is not online in this process; try again once `tradewire actors` shows it healthy (or ask the active node)');
    return current.historicalBars(await prepare(request));
  };
}
