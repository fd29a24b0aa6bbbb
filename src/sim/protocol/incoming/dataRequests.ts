import type { ContractQuery } from '../../../instruments/catalogue.ts';
import type { FieldReader } from '../fieldReader.ts';
import { SV } from '../serverVersions.ts';
import { isBag, readContract } from './contractFields.ts';

export function parseContractDetailsRequest(r: FieldReader): { reqId: number; contract: ContractQuery } {
  r.int('version');
  const reqId = r.int('reqId');
  return { reqId, contract: readContract(r) };
}

export interface MarketDataRequest {
  reqId: number;
  contract: ContractQuery;
  genericTickList: string;
  snapshot: boolean;
}

export function parseMarketDataRequest(r: FieldReader): MarketDataRequest {
  r.int('version');
  const reqId = r.int('reqId');
  const contract = readContract(r);
  if (isBag(contract)) {
    const legs = r.int('comboLegs count');
    r.skip(legs * 4, 'comboLegs');
  }
  if (r.bool('deltaNeutralContract')) r.skip(3, 'deltaNeutralContract fields');
  const genericTickList = r.str('genericTickList');
  const snapshot = r.bool('snapshot');
  return { reqId, contract, genericTickList, snapshot };
}

export interface HistoricalDataRequest {
  reqId: number;
  contract: ContractQuery;
  endDateTime: string;
  barSizeSetting: string;
  durationStr: string;
  useRTH: boolean;
  whatToShow: string;
  formatDate: number;
  keepUpToDate: boolean;
}

export function parseHistoricalDataRequest(r: FieldReader, sv: number): HistoricalDataRequest {
  if (sv < SV.SYNT_REALTIME_BARS) r.int('version');
  const reqId = r.int('reqId');
  const contract = readContract(r);
  r.str('includeExpired');
  const endDateTime = r.str('endDateTime');
  const barSizeSetting = r.str('barSizeSetting');
  const durationStr = r.str('durationStr');
  const useRTH = r.bool('useRTH');
  const whatToShow = r.str('whatToShow');
  const formatDate = r.int('formatDate');
  if (isBag(contract)) {
    const legs = r.int('comboLegs count');
    r.skip(legs * 4, 'comboLegs');
  }
  const keepUpToDate = sv >= SV.SYNT_REALTIME_BARS ? r.bool('keepUpToDate') : false;
  return { reqId, contract, endDateTime, barSizeSetting, durationStr, useRTH, whatToShow, formatDate, keepUpToDate };
}

export interface ExecutionFilterRequest {
  reqId: number;
  clientId: number;
  acctCode: string;
  time: string;
  symbol: string;
  secType: string;
  exchange: string;
  side: string;
}

export function parseExecutionsRequest(r: FieldReader): ExecutionFilterRequest {
  r.int('version');
  return {
    reqId: r.int('reqId'),
    clientId: r.int('filter.clientId'),
    acctCode: r.str('filter.acctCode'),
    time: r.str('filter.time'),
    symbol: r.str('filter.symbol'),
    secType: r.str('filter.secType'),
    exchange: r.str('filter.exchange'),
    side: r.str('filter.side'),
  };
}

export function parseAccountSummaryRequest(r: FieldReader): { reqId: number; group: string; tags: string } {
  r.int('version');
  return { reqId: r.int('reqId'), group: r.str('group'), tags: r.str('tags') };
}

export function parseAccountUpdatesRequest(r: FieldReader): { subscribe: boolean; account: string } {
  r.int('version');
  return { subscribe: r.bool('subscribe'), account: r.str('acctCode') };
}
