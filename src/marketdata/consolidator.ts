import { aggregate, AggregateScratch, type Aggregate } from './aggregate.ts';
import type { ConsolidatedPrices } from './consolidatedPrices.ts';
import type { InstrumentRules } from './instrumentRules.ts';
import { Exclusion, EXCLUSION_REASON_COUNT } from './rejectReasons.ts';
import { REVIEW_OUTLIER, type RejectLog } from './rejectLog.ts';
import { medianAbsoluteDeviation, medianInto } from './robustStats.ts';
import { HEALTH_STREAMING, type SourceTable } from './sourceTable.ts';
import type { SourcePrices } from './sourcePrices.ts';
import type { TickCounters } from './tickCounters.ts';

/**
 * One instrument's consolidation round: pick the sources that may take part (streaming, fresh,
 * on time, not an outlier), aggregate them, and write the result. Typed scratch arrays only.
 */
export class Consolidator {
  private readonly price: Float64Array;
  private readonly bid: Float64Array;
  private readonly ask: Float64Array;
  private readonly weight: Float64Array;
  private readonly tsMs: Float64Array;
  private readonly slot: Int32Array;
  private readonly sortScratch: Float64Array;
  private readonly aggregateScratch: AggregateScratch;
  private readonly result: Aggregate = { price: 0, bid: 0, ask: 0, confidence: 0 };

  constructor(
    private readonly rules: InstrumentRules,
    private readonly prices: SourcePrices,
    private readonly sources: SourceTable,
    private readonly counters: TickCounters,
    private readonly rejects: RejectLog,
    private readonly out: ConsolidatedPrices,
  ) {
    const s = rules.maxSources;
    this.price = new Float64Array(s);
    this.bid = new Float64Array(s);
    this.ask = new Float64Array(s);
    this.weight = new Float64Array(s);
    this.tsMs = new Float64Array(s);
    this.slot = new Int32Array(s);
    this.sortScratch = new Float64Array(s);
    this.aggregateScratch = new AggregateScratch(s);
  }

  /** Recomputes instrument `inst` into the output table and returns how many sources took part. */
  run(inst: number, nowMs: number): number {
    let n = this.collect(inst, nowMs);
    if (n >= this.rules.outlierMinSources[inst]!) n = this.dropOutliers(inst, n, nowMs);
    const out = this.out;
    out.sourceCount[inst] = n;
    out.computedAtMs[inst] = nowMs;
    if (n === 0) return 0;
    aggregate(this.rules.method[inst]!, n, this.price, this.bid, this.ask, this.weight, this.aggregateScratch, this.result);
    let newest = Number.NEGATIVE_INFINITY;
    let oldest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const ts = this.tsMs[i]!;
      if (ts > newest) newest = ts;
      if (ts < oldest) oldest = ts;
    }
    out.price[inst] = this.result.price;
    out.bid[inst] = this.result.bid;
    out.ask[inst] = this.result.ask;
    out.confidence[inst] = this.result.confidence;
    out.tsMs[inst] = newest;
    out.oldestAgeMs[inst] = nowMs - oldest;
    return n;
  }

  private collect(inst: number, nowMs: number): number {
    const rules = this.rules;
    const p = this.prices;
    const counters = this.counters;
    const base = inst * rules.maxSources;
    const maxAge = rules.maxAgeMs[inst]!;
    const halfWeightMs = rules.latencyHalfWeightMs[inst]!;
    let n = 0;
    for (let s = 0; s < this.sources.count; s++) {
      const k = base + s;
      if (p.hasPrice[k] === 0) continue;
      if (this.sources.health[s] !== HEALTH_STREAMING) {
        counters.excluded[s * EXCLUSION_REASON_COUNT + Exclusion.NotStreaming]! += 1;
        continue;
      }
      const ts = p.tsMs[k]!;
      if (nowMs - ts > maxAge) {
        counters.excluded[s * EXCLUSION_REASON_COUNT + Exclusion.Stale]! += 1;
        continue;
      }
      const latency = p.receivedMs[k]! - ts;
      if (latency > rules.timeoutMs[k]!) {
        counters.excluded[s * EXCLUSION_REASON_COUNT + Exclusion.Late]! += 1;
        continue;
      }
      this.price[n] = p.ref[k]!;
      this.bid[n] = p.bid[k]!;
      this.ask[n] = p.ask[k]!;
      // Slower sources count for less: a latency of `latencyHalfWeightMs` halves the weight.
      this.weight[n] = (rules.weight[k]! * halfWeightMs) / (halfWeightMs + (latency > 0 ? latency : 0));
      this.tsMs[n] = ts;
      this.slot[n] = s;
      n++;
    }
    return n;
  }

  /**
   * Drops sources more than `outlierMads` median absolute deviations from the median. The MAD is
   * floored (`outlierMinMadBps` of the median) because with discrete ticks most sources often
   * quote the same price, the MAD is 0 and any difference at all would be an outlier.
   */
  private dropOutliers(inst: number, n: number, nowMs: number): number {
    const median = medianInto(this.price, n, this.sortScratch);
    const mad = medianAbsoluteDeviation(this.price, n, median, this.sortScratch);
    const floor = (Math.abs(median) * this.rules.outlierMinMadBps[inst]!) / 10_000;
    const limit = this.rules.outlierMads[inst]! * (mad > floor ? mad : floor);
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (Math.abs(this.price[i]! - median) > limit) {
        this.noteOutlier(inst, this.slot[i]!, nowMs);
        continue;
      }
      if (kept !== i) {
        this.price[kept] = this.price[i]!;
        this.bid[kept] = this.bid[i]!;
        this.ask[kept] = this.ask[i]!;
        this.weight[kept] = this.weight[i]!;
        this.tsMs[kept] = this.tsMs[i]!;
        this.slot[kept] = this.slot[i]!;
      }
      kept++;
    }
    return kept;
  }

  private noteOutlier(inst: number, s: number, nowMs: number): void {
    this.counters.excluded[s * EXCLUSION_REASON_COUNT + Exclusion.Outlier]! += 1;
    const p = this.prices;
    const k = inst * this.rules.maxSources + s;
    if (p.outlierLoggedTsMs[k] === p.tsMs[k]) return;
    p.outlierLoggedTsMs[k] = p.tsMs[k]!;
    this.rejects.push(nowMs, s, inst, REVIEW_OUTLIER, p.bid[k]!, p.ask[k]!, p.last[k]!, p.tsMs[k]!, p.receivedMs[k]!);
  }
}
