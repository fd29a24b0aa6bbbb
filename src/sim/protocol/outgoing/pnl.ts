import type { FrameWriter } from '../frameWriter.ts';
import { OUT } from '../messageIds.ts';

/** MIN_SERVER_VER_UNREALIZED_PNL and MIN_SERVER_VER_REALIZED_PNL (EClient): the fields' gates. Belong in serverVersions.ts. */
const UNREALIZED_PNL = 129;
const REALIZED_PNL = 135;

export interface PnlFigures {
  daily: number;
  unrealized: number;
  realized: number;
}

/** PNL (EDecoder.processPnLMsg): reqId, dailyPnL, [unrealizedPnL], [realizedPnL]; no version field. */
export function writePnl(w: FrameWriter, sv: number, reqId: number, p: PnlFigures): void {
  w.begin(OUT.PNL).int(reqId).num(p.daily);
  if (sv >= UNREALIZED_PNL) w.num(p.unrealized);
  if (sv >= REALIZED_PNL) w.num(p.realized);
  w.end();
}

/** PNL_SINGLE (EDecoder.processPnLSingleMsg): reqId, pos, dailyPnL, [unrealizedPnL], [realizedPnL], value. */
export function writePnlSingle(w: FrameWriter, sv: number, reqId: number, position: number, p: PnlFigures, value: number): void {
  w.begin(OUT.PNL_SINGLE).int(reqId).num(position).num(p.daily);
  if (sv >= UNREALIZED_PNL) w.num(p.unrealized);
  if (sv >= REALIZED_PNL) w.num(p.realized);
  w.num(value).end();
}
