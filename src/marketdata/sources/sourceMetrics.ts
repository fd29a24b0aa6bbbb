import { Counter, Gauge, type Registry } from 'prom-client';
import type { ActorNode } from '../../supervision/treeView.ts';

const SOURCE_KIND_PREFIX = 'market-data-source:';

function* sources(node: ActorNode): Generator<ActorNode> {
  for (const child of node.children) {
    if (child.kind.startsWith(SOURCE_KIND_PREFIX)) yield child;
    yield* sources(child);
  }
}

const sourceIdOf = (node: ActorNode) => node.systemId.replace(/^md-/, '');

/**
 * Prometheus gauges for the market-data sources, read from their `/actors` details at scrape time,
 * so the hot path pays nothing for them.
 */
export function registerSourceMetrics(registry: Registry, describe: () => ActorNode): void {
  new Gauge({
    name: 'tradewire_marketdata_source_lifecycle',
    help: 'Market-data sources: 1 for the current lifecycle state (subscribing, streaming, stale, ...); restarting or stopped when not running',
    labelNames: ['source', 'kind', 'lifecycle'],
    registers: [registry],
    collect() {
      this.reset();
      for (const node of sources(describe())) {
        const lifecycle = node.status === 'running' ? String(node.details?.lifecycle ?? 'unknown') : node.status;
        this.set({ source: sourceIdOf(node), kind: node.kind.slice(SOURCE_KIND_PREFIX.length), lifecycle }, 1);
      }
    },
  });
  const each = (key: string, record: (source: string, value: number) => void) => {
    for (const node of sources(describe())) {
      const value = node.details?.[key];
      if (typeof value === 'number') record(sourceIdOf(node), value);
    }
  };
  // Counts of the running incarnation: they restart from zero with it, which rate() takes as a counter reset.
  const countFromDetails = (name: string, help: string, key: string) =>
    new Counter({
      name,
      help,
      labelNames: ['source'],
      registers: [registry],
      collect() {
        this.reset();
        each(key, (source, value) => this.inc({ source }, value));
      },
    });
  countFromDetails('tradewire_marketdata_source_ticks_total', 'Ticks accepted by the running incarnation of each source', 'ticksReceived');
  countFromDetails('tradewire_marketdata_source_ticks_refused_total', 'Ticks refused (unknown instrument, no or non-finite price) by the running incarnation', 'ticksRejected');
  new Gauge({
    name: 'tradewire_marketdata_source_last_tick_age_seconds',
    help: 'Seconds since the last accepted tick, by source',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      this.reset();
      each('lastTickAgeMs', (source, value) => this.set({ source }, value / 1_000));
    },
  });
}
