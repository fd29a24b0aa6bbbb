import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerQueueMetrics } from '../../src/runtime/queueMetrics.ts';
import type { QueueDepth } from '../../src/runtime/deadLetterReads.ts';

describe('queue depths on scrape', () => {
  it('reads once per second at most, however often it is scraped', async () => {
    let now = 0;
    let reads = 0;
    let waiting = 3;
    const registry = new Registry();
    registerQueueMetrics(
      registry,
      async (): Promise<QueueDepth[]> => {
        reads += 1;
        return [
          { queue: 'orders', state: 'waiting', count: waiting },
          { queue: 'orders', state: 'dead', count: 1 },
        ];
      },
      () => now,
    );
    expect(await registry.metrics()).toContain('tradewire_queue_jobs{queue="orders",state="waiting"} 3');
    waiting = 5;
    now = 999;
    expect(await registry.metrics()).toContain('tradewire_queue_jobs{queue="orders",state="waiting"} 3');
    expect(reads).toBe(1);
    now = 1_000;
    const text = await registry.metrics();
    expect(text).toContain('tradewire_queue_jobs{queue="orders",state="waiting"} 5');
    expect(text).toContain('tradewire_queue_jobs{queue="orders",state="dead"} 1');
    expect(reads).toBe(2);
  });

  it('serves the family empty when Redis cannot be read, and /metrics still answers', async () => {
    const registry = new Registry();
    registerQueueMetrics(registry, () => Promise.reject(new Error('Connection is closed.')));
    const text = await registry.metrics();
    expect(text).toContain('# TYPE tradewire_queue_jobs gauge');
    expect(text).not.toMatch(/^tradewire_queue_jobs\{/m);
  });
});
