import type { FrameWriter } from '../frameWriter.ts';
import { OUT } from '../messageIds.ts';

/** HISTORICAL_NEWS_END (EDecoder.processHistoricalNewsEndMsg): reqId, hasMore. */
export function writeHistoricalNewsEnd(w: FrameWriter, reqId: number, hasMore = false): void {
  w.begin(OUT.HISTORICAL_NEWS_END).int(reqId).bool(hasMore).end();
}
