import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/log/logger.ts';
import { createTestHarness, type TestHarness } from '../../../src/testing/harness.ts';
import { MARKET_DATA_SUPERVISOR_ID, marketDataSubtree } from '../../../src/runtime/capabilities/marketDataSubtree.ts';
import { parseSourceConfigs } from '../../../src/marketdata/sources/sourceConfig.ts';
import { registerSourceMetrics } from '../../../src/marketdata/sources/sourceMetrics.ts';
import { RecordingSink, SymbolList, settle } from '../../marketdata/sources/helpers.ts';

const index = new SymbolList(['ES', 'NQ', 'ZN']);
let harness: TestHarness | null = null;
afterEach(async () => {
  await harness?.stop();
  harness = null;
});

describe('marketData subtree', () => {
  it('is absent without sources', () => {
    expect(marketDataSubtree({ sources: [], sink: new RecordingSink(index), index, logger: createSilentLogger() })).toBeNull();
  });

  it('runs each source with its breaker under one supervisor, each feeding the one sink under its own id', async () => {
    const sink = new RecordingSink(index);
    const spec = marketDataSubtree({
      sources: parseSourceConfigs([
        { kind: 'synthetic', id: 'a', instruments: ['ES', 'NQ'], seed: 1, tickIntervalMs: 100, checkIntervalMs: 100 },
        { kind: 'synthetic', id: 'b', instruments: ['ZN', 'XX'], seed: 2, tickIntervalMs: 100, checkIntervalMs: 100, startPrices: { ZN: 110 } },
      ]),
      sink,
      index,
      logger: createSilentLogger(),
    })!;
    expect(spec.id).toBe(MARKET_DATA_SUPERVISOR_ID);
    harness = createTestHarness({ children: [spec] });
    const h = harness;
    await settle();
    for (let i = 0; i < 3; i += 1) {
      h.advance(100);
      await settle(1);
    }
    const md = h.tree.describe().children[0]!;
    expect(md.children.map((c) => [c.systemId, c.kind])).toEqual([
      ['md-a-breaker', 'circuit-breaker'],
      ['md-a', 'market-data-source:synthetic'],
      ['md-b-breaker', 'circuit-breaker'],
      ['md-b', 'market-data-source:synthetic'],
    ]);
    // XX is not an engine instrument: b subscribes to ZN only.
    expect(md.children[3]!.details).toMatchObject({ lifecycle: 'streaming', subscriptions: ['ZN'] });
    expect(new Set(sink.ticks.filter((t) => t.source === 'b').map((t) => t.symbol))).toEqual(new Set(['ZN']));
    expect(new Set(sink.ticks.filter((t) => t.source === 'a').map((t) => t.symbol))).toEqual(new Set(['ES', 'NQ']));
    expect(sink.ticksOf('ZN')[0]!.last).toBe(110);

    const registry = new Registry();
    registerSourceMetrics(registry, () => h.tree.describe());
    const text = await registry.metrics();
    expect(text).toContain('tradewire_marketdata_source_lifecycle{source="a",kind="synthetic",lifecycle="streaming"} 1');
    expect(text).toMatch(/tradewire_marketdata_source_ticks_total\{source="b"\} [1-9]/);
  });
});
