import { Counter, Gauge, type Metric, type Registry } from 'prom-client';
import { LATENCY_BUCKETS_MS } from './latencyHistogram.ts';
import type { MarketDataEngine } from './marketDataEngine.ts';
import { EXCLUSION_REASONS, REJECT_REASONS } from './rejectReasons.ts';
import type { RejectStreamWriter } from './rejectStream.ts';
import { SOURCE_HEALTHS } from './sourceTable.ts';

/**
 * Exposes the engine's typed-array counters to Prometheus. Everything is read at scrape time
 * (`collect`), so the tick path never calls prom-client.
 */
export function registerMarketDataMetrics(registry: Registry, engine: MarketDataEngine, rejectWriter?: RejectStreamWriter): void {
  const { counters, sources } = engine;
  const perSource = (name: string, help: string, values: Float64Array): void => {
    new Counter({
      name,
      help,
      labelNames: ['source'],
      registers: [registry],
      collect() {
        this.reset();
        for (let s = 0; s < sources.count; s++) this.inc({ source: sources.ids[s]! }, values[s]!);
      },
    });
  };
  perSource('tradewire_marketdata_ticks_received_total', 'Ticks received, by source', counters.received);
  perSource('tradewire_marketdata_ticks_accepted_total', 'Ticks accepted by quality control (released spikes included), by source', counters.accepted);
  perSource('tradewire_marketdata_spikes_released_total', 'Held spikes that the next price confirmed, by source', counters.released);

  new Counter({
    name: 'tradewire_marketdata_ticks_rejected_total',
    help: 'Ticks rejected by quality control, by source and reason (raw values: tradewire md rejects)',
    labelNames: ['source', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (let s = 0; s < sources.count; s++) {
        REJECT_REASONS.forEach((reason, r) => this.inc({ source: sources.ids[s]!, reason }, counters.rejectedBy(s, r)));
      }
      for (const [source, count] of counters.overflow) this.inc({ source, reason: 'source_overflow' }, count);
    },
  });
  new Gauge({
    name: 'tradewire_marketdata_spikes_held',
    help: 'Spikes held back right now, waiting for the next price from the source',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      this.reset();
      for (let s = 0; s < sources.count; s++) this.set({ source: sources.ids[s]! }, counters.held[s]!);
    },
  });
  new Counter({
    name: 'tradewire_marketdata_exclusions_total',
    help: 'Consolidation rounds a source price sat out, by source and reason (stale, late, outlier, not_streaming)',
    labelNames: ['source', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (let s = 0; s < sources.count; s++) {
        EXCLUSION_REASONS.forEach((reason, r) => this.inc({ source: sources.ids[s]!, reason }, counters.excludedBy(s, r)));
      }
    },
  });
  new Gauge({
    name: 'tradewire_marketdata_source_health',
    help: 'Market data sources: 1 for the current health',
    labelNames: ['source', 'health'],
    registers: [registry],
    collect() {
      this.reset();
      for (let s = 0; s < sources.count; s++) {
        for (const health of SOURCE_HEALTHS) this.set({ source: sources.ids[s]!, health }, sources.healthOf(s) === health ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'tradewire_marketdata_instrument_sources',
    help: 'Sources in the latest consolidated price, by instrument (0: no live price)',
    labelNames: ['symbol'],
    registers: [registry],
    collect() {
      this.reset();
      engine.instruments.all().forEach((symbol, i) => this.set({ symbol }, engine.prices.sourceCount[i]!));
    },
  });
  new Gauge({
    name: 'tradewire_marketdata_instrument_confidence',
    help: 'Confidence (dispersion across sources, price units) of the latest consolidated price, by instrument',
    labelNames: ['symbol'],
    registers: [registry],
    collect() {
      this.reset();
      engine.instruments.all().forEach((symbol, i) => {
        if (engine.prices.version[i]! > 0) this.set({ symbol }, engine.prices.confidence[i]!);
      });
    },
  });
  new Counter({
    name: 'tradewire_marketdata_engine_errors_total',
    help: 'Market data engine errors that were contained: subscriber exceptions, malformed batches, rejects not persisted to Redis',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ kind: 'subscriber' }, counters.listenerErrors);
      this.inc({ kind: 'malformed_batch' }, counters.malformedBatches);
      if (rejectWriter) this.inc({ kind: 'rejects_unpersisted' }, rejectWriter.unpersisted);
    },
  });
  registry.registerMetric(new SourceLatencyHistogram(engine) as unknown as Metric);
}

/**
 * A Prometheus histogram whose buckets live in the engine's own typed arrays; prom-client's
 * Histogram cannot be filled from precomputed counts, so this serves the same exposition shape.
 */
class SourceLatencyHistogram {
  readonly name = 'tradewire_marketdata_source_latency_seconds';
  readonly help = 'Tick latency from the source timestamp to receipt by tradewire, by source';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly labelNames = ['source'];

  constructor(private readonly engine: MarketDataEngine) {}

  get(): { name: string; help: string; type: string; aggregator: string; values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> } {
    const { latency, sources } = this.engine;
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (let s = 0; s < sources.count; s++) {
      const source = sources.ids[s]!;
      const cumulative = latency.cumulative(s);
      LATENCY_BUCKETS_MS.forEach((boundMs, b) => values.push({ labels: { le: boundMs / 1000, source }, value: cumulative[b]!, metricName: `${this.name}_bucket` }));
      values.push({ labels: { le: '+Inf', source }, value: cumulative[cumulative.length - 1]!, metricName: `${this.name}_bucket` });
      values.push({ labels: { source }, value: latency.sumMs[s]! / 1000, metricName: `${this.name}_sum` });
      values.push({ labels: { source }, value: latency.total[s]!, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    // The counts belong to the engine; a registry reset must not erase them.
  }
}
