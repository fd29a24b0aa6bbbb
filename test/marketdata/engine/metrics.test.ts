import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerMarketDataMetrics } from '../../../src/marketdata/marketDataMetrics.ts';
import { makeEngine, send, T0 } from './engineKit.ts';

describe('market data metrics', () => {
  it('exposes counts per source and reason and latency histograms at scrape time', async () => {
    const { engine, clock } = makeEngine();
    const registry = new Registry();
    registerMarketDataMetrics(registry, engine);
    send(engine, 'ib', [{ last: 100, ts: T0 - 3, received: T0 }, { last: 0 }, { bid: 2, ask: 1 }], clock);
    send(engine, 'replay', [{ last: 100.25, ts: T0 - 0.02, received: T0 }], clock);
    const text = await registry.metrics();
    expect(text).toContain('tradewire_marketdata_ticks_received_total{source="ib"} 3');
    expect(text).toContain('tradewire_marketdata_ticks_accepted_total{source="ib"} 1');
    expect(text).toContain('tradewire_marketdata_ticks_rejected_total{source="ib",reason="non_positive"} 1');
    expect(text).toContain('tradewire_marketdata_ticks_rejected_total{source="ib",reason="crossed"} 1');
    expect(text).toContain('tradewire_marketdata_instrument_sources{symbol="ES"} 2');
    expect(text).toContain('tradewire_marketdata_source_health{source="ib",health="streaming"} 1');
    // 3 ms latency: above the 2.5 ms bound, within 5 ms; all three ib ticks were timed.
    expect(text).toContain('tradewire_marketdata_source_latency_seconds_bucket{le="0.0025",source="ib"} 2');
    expect(text).toContain('tradewire_marketdata_source_latency_seconds_bucket{le="0.005",source="ib"} 3');
    expect(text).toContain('tradewire_marketdata_source_latency_seconds_count{source="ib"} 3');
    expect(text).toContain('tradewire_marketdata_source_latency_seconds_bucket{le="0.00005",source="replay"} 1');
    send(engine, 'ib', [{ last: -5 }], clock);
    expect(await registry.metrics()).toContain('tradewire_marketdata_ticks_rejected_total{source="ib",reason="non_positive"} 2');
  });
});
