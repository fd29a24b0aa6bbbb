import type { Contract, IBApi } from '@stoqey/ib';
import { SimulatedClock } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractResolver } from '../../../src/contracts/index.ts';
import { futuresCalendar } from '../../../src/instruments/calendar/index.ts';
import type { TwsSimulator } from '../../../src/sim/index.ts';
import { HandMovedClock } from '../../support/handMovedClock.ts';
import { ibSource, ROLL_CHECK_INTERVAL_MS } from '../../../src/marketdata/sources/ib/ibSource.ts';
import { parseSourceConfigs, type IbSourceConfig } from '../../../src/marketdata/sources/sourceConfig.ts';
import type { SourceContext } from '../../../src/marketdata/sources/marketDataSource.ts';
import { TickWriter } from '../../../src/marketdata/sources/tickWriter.ts';
import { MARKET_DATA_ROLL_TOPIC, type MarketDataRoll } from '../../../src/marketdata/index.ts';
import { createMemoryLogger } from '../../admin/memoryLogger.ts';
import { connectedSim, STEADY_TIMING } from '../../ib/ibConnectionHarness.ts';
import { waitUntil } from '../../support/waitUntil.ts';
import { gatewayListing, RecordingSink, settle, SymbolList } from './helpers.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The simulator's conId of `symbol` `month` at its clock. */
function conIdOf(sim: TwsSimulator, symbol: string, month: string): number {
  const listed = sim.catalogue.listed().find((i) => i.symbol === symbol && i.contractMonth === month);
  if (!listed) throw new Error(`the simulator does not list ${symbol} ${month}`);
  return listed.conId;
}

/** Records reqMktData and cancelMktData in the order they are written to the socket. */
function spyOnRequests(api: IBApi) {
  const calls: { call: 'req' | 'cancel'; reqId: number; conId?: number; at: number }[] = [];
  const req = api.reqMktData.bind(api);
  const cancel = api.cancelMktData.bind(api);
  api.reqMktData = ((reqId: number, contract: Contract, ...rest: [string, boolean, boolean]) => {
    calls.push({ call: 'req', reqId, ...(contract.conId ? { conId: contract.conId } : {}), at: performance.now() });
    return req(reqId, contract, ...rest);
  }) as IBApi['reqMktData'];
  api.cancelMktData = ((reqId: number) => {
    calls.push({ call: 'cancel', reqId, at: performance.now() });
    return cancel(reqId);
  }) as IBApi['cancelMktData'];
  return calls;
}

describe('IB source rolls to the policy month without a gap (simulator over TCP, its multi-month listing)', () => {
  it('subscribes the resolved month, then on a roll subscribes the new month first, switches on its first tick and cancels the old', async () => {
    // Tuesday 1 Dec 2026, 09:00 CT: Globex open; ES and NQ list Dec, Mar, Jun, Sep, Dec.
    const gateway = new HandMovedClock('2026-12-01T15:00:00Z');
    const { sim, conn } = await connectedSim(cleanups, 'ib connected', { clock: gateway }, STEADY_TIMING);
    sim.setPrice('ES', 6_000);
    const ESZ6 = conIdOf(sim, 'ES', '202612');
    const ESH7 = conIdOf(sim, 'ES', '202703');
    const calls = spyOnRequests(conn.session.client!);
    // The resolver reads the gateway's clock directly here (the broker clock following it is test/contracts/contractRoll.e2e.test.ts's subject).
    // Counts answered listing lookups, so a roll check is known to have finished before "it sent nothing" is asserted.
    let lookups = 0;
    const listing = gatewayListing(() => conn.session);
    const contracts = new ContractResolver({
      listing: async (symbol, at) => {
        const listed = await listing(symbol, at);
        lookups += 1;
        return listed;
      },
      now: gateway.now,
      calendar: futuresCalendar,
      policies: { ES: { roll: { businessDaysBefore: 5, from: 'lastTrade' } }, NQ: 'front' },
    });
    const published: { topic: string; payload: unknown }[] = [];
    const config = parseSourceConfigs([{ kind: 'ib', id: 'ib', instruments: ['ES', 'NQ'] }])[0] as IbSourceConfig;
    const source = ibSource(config, () => conn.session, { contracts, publish: (topic, payload) => published.push({ topic, payload }) });
    cleanups.push(() => source.stop());

    const index = new SymbolList(['ES', 'NQ']);
    const sink = new RecordingSink(index);
    const clock = new SimulatedClock();
    const { logger, entries } = createMemoryLogger();
    const context: SourceContext = {
      sourceId: 'ib',
      instruments: ['ES', 'NQ'],
      index,
      ticks: new TickWriter({ sourceId: 'ib', sink, instrumentCount: index.size, now: () => performance.now(), onError: (error) => { throw error; } }),
      clock,
      logger,
      signal: new AbortController().signal,
      fail: (error) => { throw error; },
      interrupted: () => undefined,
      ended: () => undefined,
      note: () => undefined,
    };
    await source.start(context);
    expect(source.describe!()).toMatchObject({ subscriptions: ['ES', 'NQ'], contractMonths: { ES: '202612', NQ: '202612' }, rolls: 0 });
    const firstEs = calls.find((c) => c.call === 'req' && c.conId === ESZ6)!;
    expect(firstEs).toBeDefined();
    sim.stepPrices(1);
    await waitUntil(() => sink.ticksOf('ES').length > 0, 'ES ticks from December');

    // Still December on Thursday the 10th (roll date Friday 11 Dec: 5 CME business days before the 18th).
    gateway.moveTo('2026-12-10T15:00:00Z');
    let looked = lookups;
    clock.increment(ROLL_CHECK_INTERVAL_MS);
    await waitUntil(() => lookups >= looked + 2, 'the roll check of ES and NQ');
    await settle(20);
    expect(calls.filter((c) => c.call === 'req')).toHaveLength(2);

    gateway.moveTo('2026-12-11T15:00:00Z');
    clock.increment(ROLL_CHECK_INTERVAL_MS);
    await waitUntil(() => calls.filter((c) => c.call === 'req').length === 3, 'the new month subscribed');
    const ticksBeforeSwitch = sink.ticksOf('ES').length;
    sim.stepPrices(1);
    await waitUntil(() => published.length === 1, 'the roll announced');
    await waitUntil(() => calls.some((c) => c.call === 'cancel'), 'the old month cancelled');

    const newEs = calls.filter((c) => c.call === 'req')[2]!;
    expect(newEs.conId).toBe(ESH7);
    const cancelled = calls.find((c) => c.call === 'cancel')!;
    // New first, old cancelled after: for every instant ES had a live subscription pricing it.
    expect(cancelled.reqId).toBe(firstEs.reqId);
    expect(newEs.at).toBeLessThan(cancelled.at);
    expect(calls.filter((c) => c.call === 'cancel')).toHaveLength(1);
    expect(published[0]).toEqual({ topic: MARKET_DATA_ROLL_TOPIC, payload: { symbol: 'ES', from: '202612', to: '202703', at: '2026-12-11T15:00:00.000Z', sourceId: 'ib' } satisfies MarketDataRoll });
    const rollLines = entries.filter((e) => /rolled/.test(e.message));
    expect(rollLines).toHaveLength(1);
    expect(rollLines[0]).toMatchObject({ level: 'info', message: 'market data rolled ES from 202612 to 202703', from: '202612', to: '202703' });
    expect(source.describe!()).toMatchObject({ subscriptions: ['NQ', 'ES'], contractMonths: { ES: '202703', NQ: '202612' }, rolls: 1 });

    // Prices keep coming from the new month.
    sim.setPrice('ES', 6_010);
    await waitUntil(() => sink.ticksOf('ES').some((tick) => tick.last === 6_010), 'ES price from March');
    expect(sink.ticksOf('ES').length).toBeGreaterThan(ticksBeforeSwitch);
    // A later check with nothing to roll sends nothing.
    const sent = calls.length;
    looked = lookups;
    clock.increment(ROLL_CHECK_INTERVAL_MS);
    await waitUntil(() => lookups >= looked + 2, 'the next roll check of ES and NQ');
    await settle(20);
    expect(calls.length).toBe(sent);
  });

  it('a roll check still waiting for the listing when the source stops ends quietly (no unhandled rejection, no request)', async () => {
    const gateway = new HandMovedClock('2026-12-11T15:00:00Z');
    const { conn } = await connectedSim(cleanups, 'ib connected', { clock: gateway }, STEADY_TIMING);
    const listing = gatewayListing(() => conn.session);
    let heldLookup: { reject: (error: Error) => void } | null = null;
    let hold = false;
    const contracts = new ContractResolver({
      listing: (symbol, at) => (hold ? new Promise((_resolve, reject) => (heldLookup = { reject })) : listing(symbol, at)),
      now: gateway.now,
      calendar: futuresCalendar,
      policies: { ES: 'front' },
    });
    const calls = spyOnRequests(conn.session.client!);
    const config = parseSourceConfigs([{ kind: 'ib', id: 'ib', instruments: ['ES'] }])[0] as IbSourceConfig;
    const source = ibSource(config, () => conn.session, { contracts });
    const index = new SymbolList(['ES']);
    const clock = new SimulatedClock();
    const { logger, entries } = createMemoryLogger();
    const failures: unknown[] = [];
    await source.start({
      sourceId: 'ib', instruments: ['ES'], index, clock, logger, signal: new AbortController().signal,
      ticks: new TickWriter({ sourceId: 'ib', sink: new RecordingSink(index), instrumentCount: index.size, now: () => performance.now(), onError: (error) => failures.push(error) }),
      fail: (error) => failures.push(error), interrupted: () => undefined, ended: () => undefined, note: () => undefined,
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    cleanups.push(() => process.off('unhandledRejection', onUnhandled));

    hold = true;
    clock.increment(ROLL_CHECK_INTERVAL_MS);
    await waitUntil(() => heldLookup !== null, 'the roll check asking for the listing');
    source.stop();
    // The connection went with the source (a shutdown): the lookup fails after the source stopped.
    heldLookup!.reject(new Error('connection lost: shutting down'));
    await settle(20); // Node reports an unhandled rejection once the microtasks of a turn have run: a few turns are enough
    expect(unhandled).toEqual([]);
    expect(failures).toEqual([]);
    expect(entries.filter((e) => /roll check failed/.test(e.message))).toEqual([]);
    expect(calls.filter((c) => c.call === 'req')).toHaveLength(1);
  });

  it('a month that cannot be resolved is that symbol\'s subscription error; the others stream', async () => {
    const gateway = new HandMovedClock('2026-12-01T15:00:00Z');
    const { conn } = await connectedSim(cleanups, 'ib connected', { clock: gateway }, STEADY_TIMING);
    const contracts = new ContractResolver({ listing: gatewayListing(() => conn.session), now: gateway.now, calendar: futuresCalendar, policies: { ES: '202609' } });
    const config = parseSourceConfigs([{ kind: 'ib', id: 'ib', instruments: ['ES', 'NQ'] }])[0] as IbSourceConfig;
    const source = ibSource(config, () => conn.session, { contracts });
    cleanups.push(() => source.stop());
    const index = new SymbolList(['ES', 'NQ']);
    const sink = new RecordingSink(index);
    const { logger } = createMemoryLogger();
    await source.start({
      sourceId: 'ib', instruments: ['ES', 'NQ'], index, clock: new SimulatedClock(), logger, signal: new AbortController().signal,
      ticks: new TickWriter({ sourceId: 'ib', sink, instrumentCount: index.size, now: () => performance.now(), onError: () => undefined }),
      fail: () => undefined, interrupted: () => undefined, ended: () => undefined, note: () => undefined,
    });
    expect(source.describe!()).toMatchObject({ subscriptionErrors: { ES: expect.stringMatching(/^contract month: ES 202609 .* is not listed or has expired; listed: 202612, 202703, /) } });
    await waitUntil(() => sink.ticksOf('NQ').length > 0, 'NQ ticks');
  });
});
