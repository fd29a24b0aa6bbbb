import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/log/logger.ts';
import { createSupervisionServices } from '../../../src/supervision/services.ts';
import { SupervisionTree } from '../../../src/supervision/supervisionTree.ts';
import { lifecycleOf } from '../../../src/machines/marketdata/sourceMachine.ts';
import { marketDataSubtree, sourceSystemId } from '../../../src/runtime/capabilities/marketDataSubtree.ts';
import { parseSourceConfigs } from '../../../src/marketdata/sources/sourceConfig.ts';
import type { IbSession } from '../../../src/ib/session/ibSession.ts';
import { connect, healthOf, startSim } from '../../ib/ibConnectionHarness.ts';
import { gatewayListing, RecordingSink, SymbolList } from './helpers.ts';
import { ContractResolver } from '../../../src/contracts/index.ts';
import { HandMovedClock } from '../../support/handMovedClock.ts';
import { waitUntil } from '../../support/waitUntil.ts';

const index = new SymbolList(['ES', 'NQ', 'GC', 'XX']);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function streamingFromSimulator(overrides: Record<string, unknown> = {}) {
  // Monday 7 Dec 2026, 09:00 CT: every market open, whatever day the test runs.
  const { sim, gateway } = await startSim(0, { tickIntervalMs: 20, clock: new HandMovedClock('2026-12-07T15:00:00Z') });
  cleanups.push(() => sim.close());
  const conn = connect([gateway]);
  cleanups.push(() => conn.close());
  await waitUntil(() => healthOf(conn.actor) === 'healthy', 'IB connection healthy');
  const sink = new RecordingSink(index);
  const spec = marketDataSubtree({
    sources: parseSourceConfigs([{ kind: 'ib', id: 'ib', instruments: ['ES', 'NQ', 'GC'], maxAgeMs: 400, checkIntervalMs: 50, failAfterStaleMs: 20_000, ...overrides }]),
    sink,
    index,
    logger: createSilentLogger(),
    ibSessions: new Map<string, IbSession>([['ib', conn.session]]),
    // Futures are listed in several months: the runtime always subscribes the one its contract policy chooses.
    contracts: new ContractResolver({ listing: gatewayListing(() => conn.session), now: () => conn.session.brokerClock.now(), policies: { '*': 'front' } }),
  })!;
  const tree = new SupervisionTree({ root: { children: [spec] }, services: createSupervisionServices({ logger: createSilentLogger() }) }).start();
  cleanups.push(() => tree.stop());
  const source = () => tree.get(sourceSystemId('ib'))!.getSnapshot() as { value: unknown; context: { notes: Record<string, number>; lastError: string | null; subscriptions: string[] } };
  const lifecycle = () => lifecycleOf(source());
  await waitUntil(() => lifecycle() === 'streaming', 'source streaming');
  return { sim, conn, sink, tree, source, lifecycle };
}

/** Resolves once every symbol has a new tick after this call. */
async function freshTicksFor(sink: RecordingSink, symbols: string[], what: string) {
  const seen = sink.ticks.length;
  await waitUntil(() => symbols.every((symbol) => sink.ticks.slice(seen).some((tick) => tick.symbol === symbol)), what);
}

describe('IB market-data source against the simulator (real TCP, real @stoqey/ib)', () => {
  it('subscribes with reqMktData and streams bid/ask/last quotes for every instrument', async () => {
    const { sim, sink, source } = await streamingFromSimulator();
    await freshTicksFor(sink, ['ES', 'NQ', 'GC'], 'ticks for all instruments');
    expect(source().context.subscriptions).toEqual(['ES', 'NQ', 'GC']);
    sim.setPrice('ES', 6_000);
    await waitUntil(() => sink.ticksOf('ES').some((tick) => tick.last === 6_000), 'the new ES price');
    const quote = sink.ticksOf('ES').find((tick) => tick.last === 6_000)!;
    // The simulator quotes one tick either side of last; the source joins IB's separate fields into one quote.
    expect(quote).toMatchObject({ source: 'ib', bid: 5_999.75, ask: 6_000.25, last: 6_000 });
    expect(sink.healthOf('ib')).toEqual(['subscribing', 'streaming']);
  });

  it('2103 (market data farm broken) makes it stale at once; 2104 and ticks bring it back to streaming', async () => {
    const { sim, sink, source, lifecycle } = await streamingFromSimulator();
    sim.injectFault({ kind: 'dataFarmBroken' });
    await waitUntil(() => lifecycle() === 'stale', 'stale after 2103');
    expect(source().context.lastError).toMatch(/market data farm broken \(2103\)/);
    const during = sink.ticks.length;
    sim.stepPrices(3);
    sim.injectFault({ kind: 'dataFarmRestored' });
    await waitUntil(() => lifecycle() === 'streaming', 'streaming after 2104');
    expect(source().context.notes.farmRestored).toBe(1);
    expect(sink.ticks.length).toBeGreaterThan(during);
    expect(sink.healthOf('ib')).toEqual(['subscribing', 'streaming', 'stale', 'streaming']);
  });

  it('1100 then 1101 (data lost): stale while cut off, then resubscribes everything and streams again', async () => {
    const { sim, sink, source, lifecycle } = await streamingFromSimulator();
    sim.injectFault({ kind: 'connectivityLost', restoreAfterMs: 300, restoreCode: 1101 });
    await waitUntil(() => lifecycle() === 'stale', 'stale after 1100');
    expect(source().context.lastError).toMatch(/IB connectivity lost \(1100\)/);
    await waitUntil(() => source().context.notes.resubscribed === 1, 'resubscribed after 1101');
    await freshTicksFor(sink, ['ES', 'NQ', 'GC'], 'ticks on the new subscriptions');
    await waitUntil(() => lifecycle() === 'streaming', 'streaming after 1101');
    // Without the resubscription the simulator (like TWS) would send nothing: 1101 dropped every subscription.
    expect(sim.clients()).toHaveLength(1);
  });

  it('after a reconnect (gateway dropped every socket) it resubscribes on the new connection', async () => {
    const { sim, conn, sink, source, lifecycle } = await streamingFromSimulator();
    sim.injectFault({ kind: 'dropAll' });
    await waitUntil(() => conn.actor.getSnapshot().context.counters.connects === 2, 'reconnected');
    await waitUntil(() => source().context.notes.resubscribed === 1, 'resubscribed after reconnect');
    await freshTicksFor(sink, ['ES', 'NQ', 'GC'], 'ticks after the reconnect');
    await waitUntil(() => lifecycle() === 'streaming', 'streaming after reconnect');
    expect(source().context.lastError).toBe('IB connection lost');
  });

  it('an instrument IB does not know (error 200) is reported in /actors details; the others stream', async () => {
    const { sink, tree } = await streamingFromSimulator({ instruments: ['ES', 'XX'] });
    await freshTicksFor(sink, ['ES'], 'ES ticks');
    const node = tree.describe().children.find((c) => c.systemId === 'marketData')!.children.find((c) => c.systemId === sourceSystemId('ib'))!;
    expect(node.details).toMatchObject({ lifecycle: 'streaming', subscriptions: ['ES', 'XX'], subscriptionErrors: { XX: expect.stringMatching(/^contract month: .*failed with 200: /) } });
    expect(node.details!.ticksReceived).toBeGreaterThan(0);
    expect(sink.ticksOf('XX')).toHaveLength(0);
  });

  it('fails the start when no instrument can be subscribed, and the supervisor restarts it', async () => {
    const { sim, gateway } = await startSim(0, { tickIntervalMs: 20 });
    cleanups.push(() => sim.close());
    const conn = connect([gateway]);
    cleanups.push(() => conn.close());
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 'IB connection healthy');
    const spec = marketDataSubtree({
      sources: parseSourceConfigs([{ kind: 'ib', id: 'ib', instruments: ['XX'] }]),
      sink: new RecordingSink(index),
      index,
      logger: createSilentLogger(),
      ibSessions: new Map<string, IbSession>([['ib', conn.session]]),
      supervision: { backoff: { minMs: 10, maxMs: 10, jitter: 0 } },
    })!;
    const tree = new SupervisionTree({ root: { children: [spec] }, services: createSupervisionServices({ logger: createSilentLogger() }) }).start();
    cleanups.push(() => tree.stop());
    const view = () => (tree.get('marketData')!.getSnapshot() as { context: { children: { id: string; restarts: number; lastError: string | null }[] } }).context.children.find((c) => c.id === sourceSystemId('ib'))!;
    await waitUntil(() => view().restarts >= 1, 'restarted after a failed start');
    expect(view().lastError).toMatch(/no instrument could be subscribed: .*XX.*200/);
  });
});
