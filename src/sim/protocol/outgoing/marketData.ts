import type { FrameWriter } from '../frameWriter.ts';
import { OUT } from '../messageIds.ts';

const TICK_MSG_VERSION = 6;

export const TICK = {
  BID_SIZE: 0,
  BID: 1,
  ASK: 2,
  ASK_SIZE: 3,
  LAST: 4,
  LAST_SIZE: 5,
  VOLUME: 8,
  CLOSE: 9,
} as const;

/** TICK_PRICE with the price given as an integer count of 10^-decimals units (hot path: no allocation). */
export function writeTickPriceFixed(
  w: FrameWriter,
  tickerId: number,
  tickType: number,
  scaledPrice: number,
  decimals: number,
  size: number,
): void {
  w.begin(OUT.TICK_PRICE).int(TICK_MSG_VERSION).int(tickerId).int(tickType).fixed(scaledPrice, decimals);
  w.int(size).int(0).end(); // size, attribute mask (canAutoExecute etc. all off)
}

export function writeTickSize(w: FrameWriter, tickerId: number, tickType: number, size: number): void {
  w.begin(OUT.TICK_SIZE).int(TICK_MSG_VERSION).int(tickerId).int(tickType).int(size).end();
}

/** 1 = real-time, what TWS reports first for a subscription with live data permissions. */
export function writeMarketDataType(w: FrameWriter, reqId: number, type = 1): void {
  w.begin(OUT.MARKET_DATA_TYPE).int(1).int(reqId).int(type).end();
}

export function writeTickSnapshotEnd(w: FrameWriter, reqId: number): void {
  w.begin(OUT.TICK_SNAPSHOT_END).int(1).int(reqId).end();
}
