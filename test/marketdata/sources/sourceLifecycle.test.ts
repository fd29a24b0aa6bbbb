import { afterEach, describe, expect, it } from 'vitest';
import { createTestHarness, type TestHarness } from '../../../src/testing/harness.ts';
import { lifecycleOf } from '../../../src/machines/marketdata/sourceMachine.ts';
import { marketDataSubtree, sourceSystemId } from '../../../src/runtime/capabilities/marketDataSubtree.ts';
import { parseSourceConfigs, type SourceConfigInput } from '../../../src/marketdata/sources/sourceConfig.ts';
import { createSilentLogger } from '../../../src/log/logger.ts';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingSink, SymbolList, settle } from './helpers.ts';
import { waitUntil } from '../../support/waitUntil.ts';

const index = new SymbolList(['ES', 'NQ', 'ZN']);
let harness: TestHarness | null = null;

afterEach(async () => {
  await harness?.stop();
  harness = null;
});

function start(source: SourceConfigInput, backoff = { minMs: 500, maxMs: 4_000, jitter: 0 }) {
  const sink = new RecordingSink(index);
  const spec = marketDataSubtree({
    sources: parseSourceConfigs([source]),
    sink,
    index,
    logger: createSilentLogger(),
    supervision: { backoff, intensity: 50, periodMs: 60_000 },
  })!;
  harness = createTestHarness({ intensity: 5, children: [spec] });
  return { sink, harness };
}

const lifecycle = (h: TestHarness, id: string) => {
  const snapshot = h.snapshot(sourceSystemId(id));
  return snapshot?.status === 'active' ? lifecycleOf(snapshot) : snapshot?.status ?? 'absent';
};

/** Advances simulated time in check-sized steps, letting promise callbacks run in between. */
async function advance(h: TestHarness, ms: number, step = 100) {
  for (let t = 0; t < ms; t += step) {
    h.advance(step);
    await settle(1);
  }
}

const nodeOf = (h: TestHarness, id: string) =>
  h.tree.describe().children.find((c) => c.systemId === 'marketData')!.children.find((c) => c.systemId === sourceSystemId(id))!;
const restartsOf = (h: TestHarness, id: string) => nodeOf(h, id).restarts;

describe('market-data source lifecycle on a simulated clock', () => {
  it('is stale when no tick arrives within maxAgeMs, and streams again when ticks return', async () => {
    const { sink, harness: h } = start({
      kind: 'synthetic',
      id: 'syn',
      instruments: ['ES', 'NQ'],
      tickIntervalMs: 100,
      maxAgeMs: 500,
      checkIntervalMs: 100,
      failAfterStaleMs: 5_000,
      outages: { everyMs: 3_000, forMs: 1_000 },
    });
    await settle();
    expect(lifecycle(h, 'syn')).toBe('subscribing');
    await advance(h, 200);
    expect(lifecycle(h, 'syn')).toBe('streaming');
    await advance(h, 2_700); // t = 2900: still before the outage
    expect(lifecycle(h, 'syn')).toBe('streaming');
    const ticksBeforeOutage = sink.ticks.length;
    await advance(h, 400); // t = 3300: outage since 3000, silent for less than maxAgeMs
    expect(lifecycle(h, 'syn')).toBe('streaming');
    await advance(h, 400); // t = 3700: silent for 600 ms > maxAgeMs
    expect(lifecycle(h, 'syn')).toBe('stale');
    expect(sink.ticks.length).toBe(ticksBeforeOutage);
    expect(h.snapshot(sourceSystemId('syn')).context.lastError).toMatch(/no data for \d+ ms/);
    await advance(h, 500); // t = 4200: the outage ended at 4000
    expect(lifecycle(h, 'syn')).toBe('streaming');
    expect(sink.healthOf('syn')).toEqual(['subscribing', 'streaming', 'stale', 'streaming']);
    expect(restartsOf(h, 'syn')).toBe(0);
  });
});

describe('market-data source shutdown', () => {
  it('stops its feed on a graceful shutdown and reports the source stopped', async () => {
    const { sink, harness: h } = start({ kind: 'synthetic', id: 'syn', instruments: ['ES'], tickIntervalMs: 100, checkIntervalMs: 100 });
    await settle();
    await advance(h, 300);
    expect(lifecycle(h, 'syn')).toBe('streaming');
    await h.stop();
    harness = null;
    const ticks = sink.ticks.length;
    h.advance(1_000);
    await settle();
    expect(sink.ticks.length).toBe(ticks);
    expect(sink.healthOf('syn')).toEqual(['subscribing', 'streaming', 'stopped']);
  });
});

describe('market-data source restarts on a simulated clock', () => {
  it('stale for longer than failAfterStaleMs fails the source; the supervisor restarts it after its backoff', async () => {
    const { sink, harness: h } = start({
      kind: 'synthetic',
      id: 'syn',
      instruments: ['ES'],
      tickIntervalMs: 100,
      maxAgeMs: 300,
      checkIntervalMs: 100,
      failAfterStaleMs: 1_000,
      outages: { everyMs: 2_000, forMs: 1_900 },
    });
    await settle();
    await advance(h, 2_900);
    expect(lifecycle(h, 'syn')).toBe('stale');
    expect(restartsOf(h, 'syn')).toBe(0);
    // Last ticks at 1900 (the outage starts at 2000); stale at 2200; failed at 3200; restarted at 3700.
    await advance(h, 400); // t = 3300
    expect(nodeOf(h, 'syn').status).toBe('restarting');
    expect(sink.healthOf('syn')).toEqual(['subscribing', 'streaming', 'stale', 'failed']);
    const supervisorView = h.snapshot('marketData').context.children.find((c: { id: string }) => c.id === sourceSystemId('syn'));
    expect(supervisorView.lastError).toMatch(/market-data source 'syn' failed: stale for \d+ ms/);
    await advance(h, 300); // t = 3600
    expect(nodeOf(h, 'syn').status).toBe('restarting');
    await advance(h, 300); // t = 3900
    expect(nodeOf(h, 'syn').status).toBe('running');
    expect(restartsOf(h, 'syn')).toBe(1);
    expect(lifecycle(h, 'syn')).toBe('streaming');
    expect(sink.healthOf('syn').slice(-2)).toEqual(['subscribing', 'streaming']);
  });

  it('a failing start is restarted with backoff until the breaker opens; then it waits, and recovers when the breaker lets a call through', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradewire-replay-'));
    const file = join(dir, 'later.csv');
    try {
      const { sink, harness: h } = start(
        {
          kind: 'replay',
          id: 'rep',
          instruments: ['ES', 'NQ'],
          file,
          speed: 3_600,
          loop: true,
          maxAgeMs: 1_000,
          checkIntervalMs: 100,
          breakerRetryMs: 1_000,
          breaker: { minimumNumberOfCalls: 3, failureRateThreshold: 50, waitDurationInOpenStateMs: 10_000 },
        },
        { minMs: 500, maxMs: 500, jitter: 0 },
      );
      for (let failures = 1; failures <= 3; failures += 1) {
        await waitUntil(() => nodeOf(h, 'rep').status === 'restarting', `failure ${failures}`);
        expect(restartsOf(h, 'rep')).toBe(failures - 1);
        h.advance(500);
        await waitUntil(() => nodeOf(h, 'rep').status === 'running', `restart ${failures}`);
      }
      expect(h.snapshot('marketData').context.children.find((c: { id: string }) => c.id === sourceSystemId('rep')).lastError).toMatch(/start failed: cannot read/);
      // Three failed starts of three: the breaker is open and refuses the fourth without trying.
      await waitUntil(() => h.snapshot(sourceSystemId('rep')).context.breakerRejections === 1, 'breaker rejection');
      expect(h.snapshot('md-rep-breaker').value).toBe('open');
      expect(lifecycle(h, 'rep')).toBe('subscribing');
      await advance(h, 5_000, 500);
      expect(restartsOf(h, 'rep')).toBe(3);
      expect(nodeOf(h, 'rep').status).toBe('running');
      expect(h.snapshot(sourceSystemId('rep')).context.breakerRejections).toBeGreaterThan(1);
      expect(sink.healthOf('rep').filter((health) => health === 'failed')).toHaveLength(3);

      copyFileSync('config/samples/futures-intraday.csv', file);
      await advance(h, 6_000, 500); // past the breaker's 10 s open wait: halfOpen lets one start through
      await waitUntil(() => h.snapshot(sourceSystemId('rep')).context.subscriptions.length === 2, 'subscribed');
      for (let i = 0; i < 20 && lifecycle(h, 'rep') !== 'streaming'; i += 1) await advance(h, 100);
      expect(lifecycle(h, 'rep')).toBe('streaming');
      expect(h.snapshot('md-rep-breaker').value).toBe('closed');
      expect(restartsOf(h, 'rep')).toBe(3);
      expect(sink.ticksOf('ES').length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
