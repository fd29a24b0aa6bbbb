import type { Logger } from '../log/logger.ts';
import { BreachMonitor, type MarketDataBreach } from './breaches.ts';
import { ConsolidatedPrices, emptyConsolidatedPrice, type ConsolidatedPrice } from './consolidatedPrices.ts';
import { Consolidator } from './consolidator.ts';
import { DirtySet } from './dirtySet.ts';
import { InstrumentRegistry } from './instrumentRegistry.ts';
import { InstrumentRules } from './instrumentRules.ts';
import { LatencyHistogram } from './latencyHistogram.ts';
import { parseMarketDataConfig, type MarketDataConfig } from './marketDataConfig.ts';
import { QualityControl } from './qualityControl.ts';
import { RejectLog, type RejectedTick } from './rejectLog.ts';
import { SourcePrices } from './sourcePrices.ts';
import { SourceTable } from './sourceTable.ts';
import type { SourceHealth, TickBatch, TickSink } from './tickBatch.ts';
import { TickCounters } from './tickCounters.ts';
import type { Now } from '../shared/clock.ts';

/** Called with a view that is reused for the next call: copy it (`{ ...price }`) to keep it. */
export type PriceListener = (price: Readonly<ConsolidatedPrice>) => void;
export type BreachListener = (breach: MarketDataBreach) => void;

export interface MarketDataEngineOptions {
  /** Already validated (e.g. the runtime's `config.marketData`); defaults otherwise. */
  config?: MarketDataConfig;
  /** Defaults to the instruments of the config. */
  instruments?: InstrumentRegistry;
  /** Epoch ms; injected so tests can move time. Read once per batch, never per tick. */
  now?: Now;
  logger?: Logger;
}

const epochNow = (): number => performance.timeOrigin + performance.now();

/**
 * Checks and consolidates ticks from every source into one price per instrument. Sources call
 * `ingest` with batches; all per-tick work is plain code over typed arrays, and after each batch
 * only the instruments it touched are recomputed and handed to subscribers. Actors are told about
 * transitions (`onBreach`), never about ticks.
 */
export class MarketDataEngine implements TickSink {
  readonly config: MarketDataConfig;
  readonly instruments: InstrumentRegistry;
  readonly sources: SourceTable;
  readonly rules: InstrumentRules;
  readonly counters: TickCounters;
  readonly rejectLog: RejectLog;
  readonly latency: LatencyHistogram;
  readonly prices: ConsolidatedPrices;
  private readonly now: Now;
  private readonly logger: Logger | undefined;
  private readonly sourcePrices: SourcePrices;
  private readonly dirty: DirtySet;
  private readonly qualityControl: QualityControl;
  private readonly consolidator: Consolidator;
  private readonly breaches: BreachMonitor;
  private readonly allListeners: PriceListener[] = [];
  private readonly listenersByInstrument: PriceListener[][];
  private readonly breachListeners = new Set<BreachListener>();
  private readonly view = emptyConsolidatedPrice();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: MarketDataEngineOptions = {}) {
    this.config = options.config ?? parseMarketDataConfig();
    this.instruments = options.instruments ?? InstrumentRegistry.fromConfig(this.config);
    this.now = options.now ?? epochNow;
    this.logger = options.logger;
    const n = this.instruments.size;
    const maxSources = this.config.maxSources;
    this.rules = new InstrumentRules(this.config, this.instruments, maxSources);
    this.sources = new SourceTable(maxSources, (slot, id) => this.rules.addSource(slot, id));
    this.counters = new TickCounters(maxSources);
    this.rejectLog = new RejectLog(this.config.rejects.ringSize);
    this.latency = new LatencyHistogram(maxSources);
    this.prices = new ConsolidatedPrices(n);
    this.sourcePrices = new SourcePrices(n * maxSources);
    this.dirty = new DirtySet(n);
    this.qualityControl = new QualityControl(this.rules, this.sourcePrices, this.counters, this.rejectLog, this.latency, this.dirty, n);
    this.consolidator = new Consolidator(this.rules, this.sourcePrices, this.sources, this.counters, this.rejectLog, this.prices);
    this.breaches = new BreachMonitor(n, this.rules, (breach) => this.raise(breach));
    this.listenersByInstrument = Array.from({ length: n }, () => []);
  }

  ingest(batch: TickBatch): void {
    let now = 0;
    try {
      if (typeof batch.source !== 'string') throw new TypeError('batch.source must be a string');
      const slot = this.sources.slotOf(batch.source);
      const declared = Number.isSafeInteger(batch.count) && batch.count > 0 ? batch.count : 0;
      const count = usableCount(batch, declared);
      if (slot < 0) {
        this.counters.overflow.set(batch.source, (this.counters.overflow.get(batch.source) ?? 0) + declared);
        return;
      }
      if (count < declared) this.counters.countUnreadable(slot, declared - count);
      now = this.now();
      this.qualityControl.checkBatch(slot, batch, count, now);
    } catch (error) {
      // Only a batch that is not a TickBatch at all gets here; it must not take the source down.
      this.counters.malformedBatches += 1;
      this.logger?.warn('market data batch could not be read', { source: safeSource(batch), error });
    }
    if (this.dirty.size > 0) this.consolidateDirty(now);
  }

  setSourceHealth(source: string, health: SourceHealth): void {
    const slot = this.sources.slotOf(source);
    if (slot < 0) return;
    this.sources.setHealth(slot, health);
    // A failed source must leave every price now, not at its next tick (it may never send one).
    this.sweep();
  }

  /**
   * Recomputes every priced instrument so that sources that went stale without sending anything
   * drop out; subscribers hear only about instruments whose price or source count changed.
   */
  sweep(): void {
    const now = this.now();
    const out = this.prices;
    for (let i = 0; i < this.instruments.size; i++) {
      if (out.version[i] === 0) continue;
      const count = out.sourceCount[i];
      const price = out.price[i];
      const confidence = out.confidence[i];
      this.consolidator.run(i, now);
      if (out.sourceCount[i] !== count || out.price[i] !== price || out.confidence[i] !== confidence) this.publish(i, now);
    }
  }

  /** Sweeps every `sweepIntervalMs` until `stop()`. */
  start(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => this.sweep(), this.config.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  stop(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /** Every consolidated price, or only `symbol`'s; returns the unsubscribe function. */
  subscribe(listener: PriceListener, symbol?: string): () => void {
    let list = this.allListeners;
    if (symbol !== undefined) {
      const index = this.instruments.indexOf(symbol);
      if (index < 0) throw new RangeError(`unknown instrument ${JSON.stringify(symbol)}`);
      list = this.listenersByInstrument[index]!;
    }
    list.push(listener);
    return () => {
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
    };
  }

  onBreach(listener: BreachListener): () => void {
    this.breachListeners.add(listener);
    return () => this.breachListeners.delete(listener);
  }

  /** The latest consolidated price, live or not (check `sourceCount`); undefined before the first. */
  lastPrice(symbol: string): ConsolidatedPrice | undefined {
    const index = this.instruments.indexOf(symbol);
    if (index < 0 || this.prices.version[index] === 0) return undefined;
    return this.prices.read(index, symbol, this.rules, emptyConsolidatedPrice());
  }

  /** The live touch for price collars and limit chasing: undefined unless at least one source is live. */
  touch(symbol: string): ConsolidatedPrice | undefined {
    const price = this.lastPrice(symbol);
    return price && price.sourceCount > 0 ? price : undefined;
  }

  /** `touch` without allocating: fills `out` and returns true when instrument `index` has a live price. */
  touchInto(index: number, out: ConsolidatedPrice): boolean {
    if (index < 0 || index >= this.instruments.size || this.prices.sourceCount[index] === 0) return false;
    this.prices.read(index, this.instruments.symbolOf(index), this.rules, out);
    return true;
  }

  /** Newest first, with names resolved. */
  recentRejects(limit = 100): Array<RejectedTick & { sourceId: string; symbol: string }> {
    return this.rejectLog.recent(limit).map((entry) => ({ ...entry, sourceId: this.sourceName(entry.source), symbol: this.symbolName(entry.instrument) }));
  }

  sourceName(slot: number): string {
    return this.sources.ids[slot] ?? `#${slot}`;
  }

  /** The symbol, or `#<index>` for an index that names no instrument (kept for review). */
  symbolName(index: number): string {
    return index >= 0 && index < this.instruments.size ? this.instruments.symbolOf(index) : `#${index}`;
  }

  private consolidateDirty(now: number): void {
    const dirty = this.dirty;
    for (let d = 0; d < dirty.size; d++) {
      const inst = dirty.members[d]!;
      this.consolidator.run(inst, now);
      this.publish(inst, now);
    }
    dirty.clear();
  }

  private publish(inst: number, now: number): void {
    this.prices.version[inst]! += 1;
    const symbol = this.instruments.symbolOf(inst);
    this.breaches.check(inst, symbol, this.prices, now);
    const specific = this.listenersByInstrument[inst]!;
    if (this.allListeners.length === 0 && specific.length === 0) return;
    const view = this.prices.read(inst, symbol, this.rules, this.view);
    for (let l = 0; l < this.allListeners.length; l++) this.deliver(this.allListeners[l]!, view);
    for (let l = 0; l < specific.length; l++) this.deliver(specific[l]!, view);
  }

  private deliver(listener: PriceListener, view: ConsolidatedPrice): void {
    try {
      listener(view);
    } catch (error) {
      this.counters.listenerErrors += 1;
      // One line per thousand failures: a broken subscriber must not flood the log at tick rate.
      if (this.counters.listenerErrors % 1000 === 1) this.logger?.warn('market data subscriber threw', { failures: this.counters.listenerErrors, error });
    }
  }

  private raise(breach: MarketDataBreach): void {
    this.logger?.info('market data breach', { ...breach });
    for (const listener of this.breachListeners) {
      try {
        listener(breach);
      } catch (error) {
        this.logger?.warn('market data breach listener threw', { kind: breach.kind, symbol: breach.symbol, error });
      }
    }
  }
}

/**
 * How many entries of a batch can be read: `count`, cut to the shortest array so a short array
 * cannot make us read `undefined`.
 */
function usableCount(batch: TickBatch, declared: number): number {
  return Math.min(declared, batch.instrument.length, batch.bid.length, batch.ask.length, batch.last.length, batch.sourceTsMs.length, batch.receivedMs.length);
}

function safeSource(batch: unknown): string {
  const source = (batch as { source?: unknown } | null)?.source;
  return typeof source === 'string' ? source : String(source);
}
