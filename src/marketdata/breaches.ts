import type { ConsolidatedPrices } from './consolidatedPrices.ts';
import type { InstrumentRules } from './instrumentRules.ts';

export type BreachKind = 'no_live_sources' | 'live_sources_restored' | 'confidence_wide' | 'confidence_normal';

/** A change of an instrument's data quality that a lifecycle actor may act on; raised on transitions only. */
export interface MarketDataBreach {
  kind: BreachKind;
  symbol: string;
  atMs: number;
  sourceCount: number;
  price: number;
  confidence: number;
  /** `confidence` in basis points of the price (NaN without a price). */
  confidenceBps: number;
  limitBps: number;
}

/**
 * Watches each recomputation for two conditions: no source left (everything stale, late, failed
 * or an outlier) and confidence wider than `maxConfidenceBps`. Keeps one flag per condition per
 * instrument so listeners hear about entering and leaving it, not about every tick in between.
 */
export class BreachMonitor {
  private readonly noLive: Uint8Array;
  private readonly wide: Uint8Array;

  constructor(size: number, private readonly rules: InstrumentRules, private readonly emit: (breach: MarketDataBreach) => void) {
    this.noLive = new Uint8Array(size);
    this.wide = new Uint8Array(size);
  }

  check(inst: number, symbol: string, prices: ConsolidatedPrices, nowMs: number): void {
    const count = prices.sourceCount[inst]!;
    if (count === 0) {
      if (this.noLive[inst] === 0) {
        this.noLive[inst] = 1;
        this.raise('no_live_sources', inst, symbol, prices, nowMs);
      }
      return;
    }
    if (this.noLive[inst] === 1) {
      this.noLive[inst] = 0;
      this.raise('live_sources_restored', inst, symbol, prices, nowMs);
    }
    const limitBps = this.rules.maxConfidenceBps[inst]!;
    if (limitBps <= 0) return;
    const isWide = confidenceBps(prices, inst) > limitBps;
    if (isWide && this.wide[inst] === 0) {
      this.wide[inst] = 1;
      this.raise('confidence_wide', inst, symbol, prices, nowMs);
    } else if (!isWide && this.wide[inst] === 1) {
      this.wide[inst] = 0;
      this.raise('confidence_normal', inst, symbol, prices, nowMs);
    }
  }

  private raise(kind: BreachKind, inst: number, symbol: string, prices: ConsolidatedPrices, nowMs: number): void {
    this.emit({
      kind,
      symbol,
      atMs: nowMs,
      sourceCount: prices.sourceCount[inst]!,
      price: prices.price[inst]!,
      confidence: prices.confidence[inst]!,
      confidenceBps: confidenceBps(prices, inst),
      limitBps: this.rules.maxConfidenceBps[inst]!,
    });
  }
}

function confidenceBps(prices: ConsolidatedPrices, inst: number): number {
  const price = Math.abs(prices.price[inst]!);
  return price > 0 ? (prices.confidence[inst]! / price) * 10_000 : Number.NaN;
}
