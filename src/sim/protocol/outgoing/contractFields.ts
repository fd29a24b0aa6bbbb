import type { Instrument } from '../../../instruments/instruments.ts';
import type { FrameWriter } from '../frameWriter.ts';

/** conId, symbol, secType, expiry, strike, right: the common head of most contract encodings. */
export function writeContractHead(w: FrameWriter, i: Instrument): void {
  w.int(i.conId).str(i.symbol).str('FUT').str(i.lastTradeDateOrContractMonth).int(0).empty();
}
