import type { Instrument } from '../../../instruments/instruments.ts';
import type { FrameWriter } from '../frameWriter.ts';
import { OUT } from '../messageIds.ts';
import { writeContractHead } from './contractFields.ts';

/** The message version TWS sends (EDecoder reads and ignores it). */
const MULTI_MSG_VERSION = 1;

/**
 * POSITION_MULTI (EDecoder.processPositionMultiMsg): version, reqId, account, conId, symbol, secType,
 * lastTradeDateOrContractMonth, strike, right, multiplier, exchange, currency, localSymbol,
 * tradingClass, pos, avgCost, modelCode. No server-version gates.
 */
export function writePositionMulti(
  w: FrameWriter,
  reqId: number,
  account: string,
  i: Instrument,
  qty: number,
  avgCost: number,
  modelCode: string,
): void {
  w.begin(OUT.POSITION_MULTI).int(MULTI_MSG_VERSION).int(reqId).str(account);
  writeContractHead(w, i);
  w.num(i.multiplier).str(i.exchange).str(i.currency).str(i.localSymbol).str(i.tradingClass);
  w.num(qty).num(Math.round(avgCost * 100) / 100).str(modelCode).end();
}

/** POSITION_MULTI_END: version, reqId. */
export function writePositionMultiEnd(w: FrameWriter, reqId: number): void {
  w.begin(OUT.POSITION_MULTI_END).int(MULTI_MSG_VERSION).int(reqId).end();
}

/** ACCOUNT_UPDATE_MULTI (EDecoder.processAccountUpdateMultiMsg): version, reqId, account, modelCode, key, value, currency. */
export function writeAccountUpdateMulti(
  w: FrameWriter,
  reqId: number,
  account: string,
  modelCode: string,
  key: string,
  value: string,
  currency: string,
): void {
  w.begin(OUT.ACCOUNT_UPDATE_MULTI).int(MULTI_MSG_VERSION).int(reqId).str(account).str(modelCode).str(key).str(value).str(currency).end();
}

/** ACCOUNT_UPDATE_MULTI_END: version, reqId. */
export function writeAccountUpdateMultiEnd(w: FrameWriter, reqId: number): void {
  w.begin(OUT.ACCOUNT_UPDATE_MULTI_END).int(MULTI_MSG_VERSION).int(reqId).end();
}
