import type { DirtySet } from './dirtySet.ts';
import type { InstrumentRules } from './instrumentRules.ts';
import type { LatencyHistogram } from './latencyHistogram.ts';
import { Reject, REJECT_REASON_COUNT } from './rejectReasons.ts';
import type { RejectLog } from './rejectLog.ts';
import { referencePrice, type SourcePrices } from './sourcePrices.ts';
import { dailyUnitChange, nextEwma } from './spikeFilter.ts';
import type { TickBatch } from './tickBatch.ts';
import type { TickCounters } from './tickCounters.ts';

const isInfinite = (x: number): boolean => x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY;

/**
 * Per-source checks of every tick before it may take part in consolidation. Each tick ends in
 * exactly one place: accepted, rejected (counted by reason, raw value logged), or held back as a
 * spike until the source's next price settles it. Nothing here allocates or throws per tick.
 *
 * Missing fields (NaN) carry forward from the source's last quote, because feeds such as IB send
 * bid and ask as separate updates.
 */
export class QualityControl {
  /** The merged quote of the tick being checked (fields, not a tuple, so nothing is allocated). */
  private mBid = 0;
  private mAsk = 0;
  private mLast = 0;

  constructor(
    private readonly rules: InstrumentRules,
    private readonly prices: SourcePrices,
    private readonly counters: TickCounters,
    private readonly rejects: RejectLog,
    private readonly latency: LatencyHistogram,
    private readonly dirty: DirtySet,
    private readonly instrumentCount: number,
  ) {}

  /** Checks entries `0 .. count-1` of a batch from the source in `slot`. */
  checkBatch(slot: number, batch: TickBatch, count: number, nowMs: number): void {
    const { instrument, bid, ask, last, sourceTsMs, receivedMs } = batch;
    this.counters.received[slot]! += count;
    for (let j = 0; j < count; j++) {
      this.checkTick(slot, instrument[j]!, bid[j]!, ask[j]!, last[j]!, sourceTsMs[j]!, receivedMs[j]!, nowMs);
    }
  }

  private checkTick(s: number, inst: number, bid: number, ask: number, last: number, ts: number, recv: number, nowMs: number): void {
    if (!(inst >= 0 && inst < this.instrumentCount) || (inst | 0) !== inst) {
      return this.reject(s, inst, Reject.UnknownInstrument, bid, ask, last, ts, recv, nowMs);
    }
    if (ts - ts !== 0 || recv - recv !== 0 || isInfinite(bid) || isInfinite(ask) || isInfinite(last)) {
      return this.reject(s, inst, Reject.NonFinite, bid, ask, last, ts, recv, nowMs);
    }
    this.latency.record(s, recv - ts);
    if (bid !== bid && ask !== ask && last !== last) return this.reject(s, inst, Reject.NoPrice, bid, ask, last, ts, recv, nowMs);
    const rules = this.rules;
    if (rules.allowNonPositive[inst] === 0 && (bid <= 0 || ask <= 0 || last <= 0)) {
      return this.reject(s, inst, Reject.NonPositive, bid, ask, last, ts, recv, nowMs);
    }
    if (bid > ask) return this.reject(s, inst, Reject.Crossed, bid, ask, last, ts, recv, nowMs);
    if (ts > nowMs + rules.maxFutureMs[inst]!) return this.reject(s, inst, Reject.FutureTimestamp, bid, ask, last, ts, recv, nowMs);
    const p = this.prices;
    const k = inst * rules.maxSources + s;
    if (ts < p.seenTsMs[k]!) return this.reject(s, inst, Reject.BackwardsTimestamp, bid, ask, last, ts, recv, nowMs);

    if (p.held[k] === 1) {
      if (!this.merge(bid, ask, last, p.heldBid[k]!, p.heldAsk[k]!, p.heldLast[k]!)) {
        return this.reject(s, inst, Reject.Crossed, bid, ask, last, ts, recv, nowMs);
      }
      this.settleHeld(s, inst, k, referencePrice(this.mBid, this.mAsk, this.mLast), nowMs);
    }
    if (!this.merge(bid, ask, last, p.bid[k]!, p.ask[k]!, p.last[k]!)) {
      return this.reject(s, inst, Reject.Crossed, bid, ask, last, ts, recv, nowMs);
    }
    const ref = referencePrice(this.mBid, this.mAsk, this.mLast);
    if (p.hasPrice[k] === 0) return this.accept(s, inst, k, ref, ts, recv);
    const change = ref - p.ref[k]!;
    // An unchanged price says nothing about volatility; the clock for the next change keeps running.
    if (change === 0) return this.commit(s, inst, k, ref, ts, recv);
    const daily = Math.abs(dailyUnitChange(change, ts - p.changeTsMs[k]!));
    const changes = p.changes[k]!;
    if (changes >= rules.spikeWarmup[inst]! && daily > rules.maxPriceSpike[inst]! * p.ewmaAbsDailyChange[k]!) {
      return this.hold(s, k, ref, ts, recv);
    }
    p.changes[k] = changes + 1;
    p.ewmaAbsDailyChange[k] = nextEwma(p.ewmaAbsDailyChange[k]!, daily, changes + 1, rules.spikeAlpha[inst]!);
    this.accept(s, inst, k, ref, ts, recv);
  }

  /**
   * The source's next price decides a held spike: nearer the held level than the old one, the
   * move was real and the held price is accepted (late, but not lost); otherwise the spike was
   * a bad print and becomes a counted `spike` rejection.
   */
  private settleHeld(s: number, inst: number, k: number, nextRef: number, nowMs: number): void {
    const p = this.prices;
    p.held[k] = 0;
    this.counters.held[s]! -= 1;
    const heldRef = p.heldRef[k]!;
    if (Math.abs(nextRef - heldRef) <= Math.abs(nextRef - p.ref[k]!)) {
      const daily = Math.abs(dailyUnitChange(heldRef - p.ref[k]!, p.heldTsMs[k]! - p.changeTsMs[k]!));
      const changes = p.changes[k]! + 1;
      p.changes[k] = changes;
      p.ewmaAbsDailyChange[k] = nextEwma(p.ewmaAbsDailyChange[k]!, daily, changes, this.rules.spikeAlpha[inst]!);
      this.mBid = p.heldBid[k]!;
      this.mAsk = p.heldAsk[k]!;
      this.mLast = p.heldLast[k]!;
      this.counters.released[s]! += 1;
      this.accept(s, inst, k, heldRef, p.heldTsMs[k]!, p.heldReceivedMs[k]!);
      return;
    }
    this.rejects.push(nowMs, s, inst, Reject.Spike, p.heldBid[k]!, p.heldAsk[k]!, p.heldLast[k]!, p.heldTsMs[k]!, p.heldReceivedMs[k]!);
    this.counters.rejected[s * REJECT_REASON_COUNT + Reject.Spike]! += 1;
  }

  /** Fills the merged quote from the tick over `base`; false when the result is crossed. */
  private merge(bid: number, ask: number, last: number, baseBid: number, baseAsk: number, baseLast: number): boolean {
    this.mBid = bid === bid ? bid : baseBid;
    this.mAsk = ask === ask ? ask : baseAsk;
    this.mLast = last === last ? last : baseLast;
    return !(this.mBid > this.mAsk);
  }

  /** Accepts a price change: it also restarts the spike filter's elapsed-time clock. */
  private accept(s: number, inst: number, k: number, ref: number, ts: number, recv: number): void {
    this.prices.changeTsMs[k] = ts;
    this.commit(s, inst, k, ref, ts, recv);
  }

  private commit(s: number, inst: number, k: number, ref: number, ts: number, recv: number): void {
    const p = this.prices;
    p.hasPrice[k] = 1;
    p.bid[k] = this.mBid;
    p.ask[k] = this.mAsk;
    p.last[k] = this.mLast;
    p.ref[k] = ref;
    p.tsMs[k] = ts;
    p.receivedMs[k] = recv;
    if (ts > p.seenTsMs[k]!) p.seenTsMs[k] = ts;
    this.counters.accepted[s]! += 1;
    this.dirty.add(inst);
  }

  private hold(s: number, k: number, ref: number, ts: number, recv: number): void {
    const p = this.prices;
    p.held[k] = 1;
    p.heldBid[k] = this.mBid;
    p.heldAsk[k] = this.mAsk;
    p.heldLast[k] = this.mLast;
    p.heldRef[k] = ref;
    p.heldTsMs[k] = ts;
    p.heldReceivedMs[k] = recv;
    if (ts > p.seenTsMs[k]!) p.seenTsMs[k] = ts;
    this.counters.held[s]! += 1;
  }

  private reject(s: number, inst: number, reason: number, bid: number, ask: number, last: number, ts: number, recv: number, nowMs: number): void {
    this.counters.rejected[s * REJECT_REASON_COUNT + reason]! += 1;
    this.rejects.push(nowMs, s, inst | 0, reason, bid, ask, last, ts, recv);
  }
}
