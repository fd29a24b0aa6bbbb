import type { Execution } from '../../broker/types.ts';
import type { Instrument } from '../../../instruments/instruments.ts';
import type { FrameWriter } from '../frameWriter.ts';
import { formatTwsDateTime } from '../handshake.ts';
import { OUT } from '../messageIds.ts';
import { writeContractHead } from './contractFields.ts';
import { SV } from '../serverVersions.ts';

const EXECUTION_MSG_VERSION = 10;
/** Java's Double.MAX_VALUE text: IB's "unset" marker for realizedPNL and yield. */
const UNSET_DOUBLE = '1.7976931348623157E308';

/** EXECUTION_DATA; reqId is -1 for live fills and the request's id when answering reqExecutions. */
export function writeExecDetails(w: FrameWriter, sv: number, reqId: number, e: Execution, i: Instrument): void {
  w.begin(OUT.EXECUTION_DATA);
  if (sv < SV.LAST_LIQUIDITY) w.int(EXECUTION_MSG_VERSION);
  w.int(reqId).int(e.orderId);
  writeContractHead(w, i);
  w.num(i.multiplier).str(i.exchange).str(i.currency).str(i.localSymbol).str(i.tradingClass);
  w.str(e.execId).str(formatTwsDateTime(e.time)).str(e.account).str(e.exchange).str(e.side);
  w.num(e.qty).num(e.price).int(e.permId).int(e.clientId).int(0);
  w.num(e.cumQty).num(e.avgPrice).str(e.orderRef).empty().empty(); // evRule, evMultiplier
  if (sv >= SV.MODELS_SUPPORT) w.empty();
  if (sv >= SV.LAST_LIQUIDITY) w.int(1); // 1 = added liquidity
  if (sv >= SV.PENDING_PRICE_REVISION) w.bool(false);
  w.end();
}

export function writeExecDetailsEnd(w: FrameWriter, reqId: number): void {
  w.begin(OUT.EXECUTION_DATA_END).int(1).int(reqId).end();
}

export function writeCommissionReport(w: FrameWriter, e: Execution): void {
  w.begin(OUT.COMMISSION_REPORT).int(1).str(e.execId).num(e.commission).str(e.currency);
  if (e.realizedPnl === undefined) w.str(UNSET_DOUBLE);
  else w.num(e.realizedPnl);
  w.str(UNSET_DOUBLE).int(0); // yield, yieldRedemptionDate
  w.end();
}
