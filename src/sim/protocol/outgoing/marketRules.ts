import type { FrameWriter } from '../frameWriter.ts';
import { OUT } from '../messageIds.ts';

export interface PriceIncrement {
  lowEdge: number;
  increment: number;
}

/** MARKET_RULE (EDecoder.processMarketRuleMsg): marketRuleId, count, then lowEdge/increment pairs; no version field. */
export function writeMarketRule(w: FrameWriter, marketRuleId: number, increments: readonly PriceIncrement[]): void {
  w.begin(OUT.MARKET_RULE).int(marketRuleId).int(increments.length);
  for (const step of increments) w.num(step.lowEdge).num(step.increment);
  w.end();
}
