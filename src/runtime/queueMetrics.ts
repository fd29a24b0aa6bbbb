import { Gauge, type Registry } from 'prom-client';
import type { QueueDepth } from './deadLetterReads.ts';

/** Scrapes closer together than this share one read of Redis. */
const CACHE_MS = 1_000;

/**
 * Queue depths by state, read from Redis (BullMQ job counts) when scraped, behind a short cache so
 * several scrapers cost one read; a failed read leaves the family empty rather than failing /metrics.
 */
export function registerQueueMetrics(registry: Registry, read: () => Promise<QueueDepth[]>, now: () => number = Date.now): void {
  let cached: { at: number; depths: Promise<QueueDepth[]> } | null = null;
  const depths = () => {
    const at = now();
    if (cached === null || at - cached.at >= CACHE_MS) cached = { at, depths: read().catch(() => []) };
    return cached.depths;
  };
  new Gauge({
    name: 'tradewire_queue_jobs',
    help: 'Jobs in each queue (orders, reports, regulatory-close, fills) by state: waiting (prioritized included), active, delayed, failed, and dead (its dead-letter queue)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const rows = await depths();
      this.reset();
      for (const row of rows) this.set({ queue: row.queue, state: row.state }, row.count);
    },
  });
}
