import type { Instrument } from '../../../instruments/instruments.ts';
import type { FrameWriter } from '../frameWriter.ts';
import { OUT } from '../messageIds.ts';
import { writeContractHead } from './contractFields.ts';

export function writeAccountValue(w: FrameWriter, key: string, value: string, currency: string, account: string): void {
  w.begin(OUT.ACCT_VALUE).int(2).str(key).str(value).str(currency).str(account).end();
}

export interface PortfolioLine {
  instrument: Instrument;
  position: number;
  marketPrice: number;
  marketValue: number;
  averageCost: number;
  unrealizedPnl: number;
  realizedPnl: number;
  account: string;
}

export function writePortfolioValue(w: FrameWriter, p: PortfolioLine): void {
  const i = p.instrument;
  w.begin(OUT.PORTFOLIO_VALUE).int(8);
  writeContractHead(w, i);
  w.num(i.multiplier).empty().str(i.currency).str(i.localSymbol).str(i.tradingClass); // primaryExch empty
  w.num(p.position).num(p.marketPrice).num(round2(p.marketValue)).num(round2(p.averageCost));
  w.num(round2(p.unrealizedPnl)).num(round2(p.realizedPnl)).str(p.account);
  w.end();
}

export function writeAccountUpdateTime(w: FrameWriter, hhmm: string): void {
  w.begin(OUT.ACCT_UPDATE_TIME).int(1).str(hhmm).end();
}

export function writeAccountDownloadEnd(w: FrameWriter, account: string): void {
  w.begin(OUT.ACCT_DOWNLOAD_END).int(1).str(account).end();
}

export function writePosition(w: FrameWriter, account: string, i: Instrument, qty: number, avgCost: number): void {
  w.begin(OUT.POSITION).int(3).str(account);
  writeContractHead(w, i);
  w.num(i.multiplier).str(i.exchange).str(i.currency).str(i.localSymbol).str(i.tradingClass);
  w.num(qty).num(round2(avgCost)).end();
}

export function writePositionEnd(w: FrameWriter): void {
  w.begin(OUT.POSITION_END).int(1).end();
}

export function writeAccountSummary(
  w: FrameWriter,
  reqId: number,
  account: string,
  tag: string,
  value: string,
  currency: string,
): void {
  w.begin(OUT.ACCOUNT_SUMMARY).int(1).int(reqId).str(account).str(tag).str(value).str(currency).end();
}

export function writeAccountSummaryEnd(w: FrameWriter, reqId: number): void {
  w.begin(OUT.ACCOUNT_SUMMARY_END).int(1).int(reqId).end();
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
