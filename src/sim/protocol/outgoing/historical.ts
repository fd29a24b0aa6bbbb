import type { FrameWriter } from '../frameWriter.ts';
import { OUT } from '../messageIds.ts';
import { SV } from '../serverVersions.ts';

const HISTORICAL_DATA_MSG_VERSION = 3;

export interface Bar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  wap: number;
  count: number;
}

export function writeHistoricalData(
  w: FrameWriter,
  sv: number,
  reqId: number,
  start: string,
  end: string,
  bars: readonly Bar[],
): void {
  w.begin(OUT.HISTORICAL_DATA);
  if (sv < SV.SYNT_REALTIME_BARS) w.int(HISTORICAL_DATA_MSG_VERSION);
  w.int(reqId).str(start).str(end).int(bars.length);
  for (const b of bars) {
    w.str(b.date).num(b.open).num(b.high).num(b.low).num(b.close).num(b.volume).num(b.wap);
    if (sv < SV.SYNT_REALTIME_BARS) w.bool(false); // hasGaps
    w.int(b.count);
  }
  w.end();
}

/** HISTORICAL_DATA_UPDATE (keepUpToDate): the bar in progress, prices as integer 10^-decimals units. */
export function writeHistoricalDataUpdate(
  w: FrameWriter,
  reqId: number,
  count: number,
  date: string,
  scaled: { open: number; close: number; high: number; low: number },
  decimals: number,
  volume: number,
): void {
  w.begin(OUT.HISTORICAL_DATA_UPDATE).int(reqId).int(count).str(date);
  w.fixed(scaled.open, decimals).fixed(scaled.close, decimals).fixed(scaled.high, decimals).fixed(scaled.low, decimals);
  w.fixed(scaled.close, decimals).int(volume); // WAP (the simulator uses the close), volume
  w.end();
}
