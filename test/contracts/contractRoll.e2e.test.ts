import type { Contract, IBApi } from '@stoqey/ib';
import { Queue } from 'bullmq';
import { SimulatedClock } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { EventName } from '../../src/ib/stoqeyValues.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { contractResolution } from '../../src/runtime/capabilities/contractResolution.ts';
import { ibSource, ROLL_CHECK_INTERVAL_MS } from '../../src/marketdata/sources/ib/ibSource.ts';
import { parseSourceConfigs, type IbSourceConfig } from '../../src/marketdata/sources/sourceConfig.ts';
import { TickWriter } from '../../src/marketdata/sources/tickWriter.ts';
import { InstrumentRegistry } from '../../src/marketdata/instrumentRegistry.ts';
import { parseMarketDataConfig } from '../../src/marketdata/marketDataConfig.ts';
import { MarketDataEngine } from '../../src/marketdata/marketDataEngine.ts';
import { MARKET_DATA_ROLL_TOPIC, type MarketDataRoll } from '../../src/marketdata/index.ts';
import type { TwsSimulator } from '../../src/sim/index.ts';
import { orderJob, orderWorld, waitForState } from '../orders/orderWorld.ts';
import { HandMovedClock } from '../support/handMovedClock.ts';
import { waitUntil } from '../support/waitUntil.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** ES held until 5 CME business days before its last trade: ESZ6 (last trade Fri 18 Dec 2026) rolls on Fri 11 Dec. */
const ES_POLICY = { roll: { businessDaysBefore: 5, from: 'lastTrade' } } as const;

/** What the simulator lists for ES `month` at its clock: the conId a subscription or an order for that month must carry. */
function simContract(sim: TwsSimulator, month: string) {
  const listed = sim.catalogue.listed().find((i) => i.symbol === 'ES' && i.contractMonth === month);
  if (!listed) throw new Error(`the simulator does not list ES ${month}`);
  return listed;
}

/** reqMktData and cancelMktData as written to the socket, every tick and error per request id, and the ES listings asked for. */
function watchRequests(api: IBApi) {
  const calls: { call: 'req' | 'cancel'; reqId: number; conId?: number }[] = [];
  let esListings = 0;
  const details = api.reqContractDetails.bind(api);
  api.reqContractDetails = ((reqId: number, contract: Contract) => {
    if (contract.symbol === 'ES') esListings += 1;
    return details(reqId, contract);
  }) as IBApi['reqContractDetails'];
  const ticks = new Map<number, number>();
  const errors: { reqId: number; code: number }[] = [];
  const req = api.reqMktData.bind(api);
  const cancel = api.cancelMktData.bind(api);
  api.reqMktData = ((reqId: number, contract: Contract, ...rest: [string, boolean, boolean]) => {
    calls.push({ call: 'req', reqId, ...(contract.conId ? { conId: contract.conId } : {}) });
    return req(reqId, contract, ...rest);
  }) as IBApi['reqMktData'];
  api.cancelMktData = ((reqId: number) => {
    calls.push({ call: 'cancel', reqId });
    return cancel(reqId);
  }) as IBApi['cancelMktData'];
  api.on(EventName.tickPrice, (reqId: number) => ticks.set(reqId, (ticks.get(reqId) ?? 0) + 1));
  api.on(EventName.error, (_error: Error, code: number, reqId: number) => errors.push({ reqId, code }));
  return { calls, esListings: () => esListings, ticksOf: (reqId: number) => ticks.get(reqId) ?? 0, errors, requests: () => calls.filter((c) => c.call === 'req'), cancels: () => calls.filter((c) => c.call === 'cancel') };
}

describe('a contract roll driven by the simulator\'s clock (simulator over TCP, real Redis)', () => {
  it('streams ESZ6, rolls to ESH7 on the roll date without a price gap, routes an order without expiry to ESH7, and drops ESZ6 once it expires', async () => {
    const gatewayClock = new HandMovedClock('2026-12-09T15:00:00Z'); // Wednesday 09:00 CT: Globex open
    const w = await orderWorld(cleanups, { simulator: { clock: gatewayClock } });
    const session = w.conn.session;
    const brokerFollows = (what: string) =>
      waitUntil(() => session.brokerClock.synchronised && Math.abs(session.brokerClock.now() - gatewayClock.now()) < 2_000, `the broker clock at ${what}`);
    await brokerFollows('Wednesday');

    // The runtime's one resolver: the simulator's listing through the reference-data cache, on the broker's clock, with the futures calendar.
    const { resolver: contracts, referenceData } = contractResolution({
      config: { namespace: w.prefix, marketData: { contracts: { ES: ES_POLICY } } },
      redis: w.redis,
      broker: { session: () => session },
      logger: createSilentLogger(),
    });
    const esz6 = simContract(w.sim, '202612');
    const esh7 = simContract(w.sim, '202703');
    expect([esz6.localSymbol, esz6.lastTradeDateOrContractMonth, esh7.localSymbol]).toEqual(['ESZ6', '20261218', 'ESH7']);
    expect(esz6.conId).not.toBe(esh7.conId);

    // The IB source into the market-data engine: the consolidated ES price is what the runtime trades on.
    const sourceClock = new SimulatedClock();
    sourceClock.set(gatewayClock.now());
    const engine = new MarketDataEngine({ config: parseMarketDataConfig({ instruments: { ES: {} } }), instruments: new InstrumentRegistry(['ES']), now: () => sourceClock.now() });
    const consolidated: { price: number; sourceCount: number }[] = [];
    engine.subscribe((p) => consolidated.push({ price: p.price, sourceCount: p.sourceCount }), 'ES');
    const published: { topic: string; payload: unknown }[] = [];
    const config = parseSourceConfigs([{ kind: 'ib', id: 'ib', instruments: ['ES'] }])[0] as IbSourceConfig;
    const source = ibSource(config, () => session, { contracts, publish: (topic, payload) => published.push({ topic, payload }) });
    cleanups.push(() => source.stop());
    const md = watchRequests(session.client!);
    w.sim.setPrice('ES', 6_000);
    await source.start({
      sourceId: 'ib',
      instruments: ['ES'],
      index: engine.instruments,
      ticks: new TickWriter({ sourceId: 'ib', sink: engine, instrumentCount: engine.instruments.size, now: () => sourceClock.now(), onError: (error) => { throw error; } }),
      clock: sourceClock,
      logger: createSilentLogger(),
      signal: new AbortController().signal,
      fail: (error) => { throw error; },
      interrupted: () => undefined,
      ended: () => undefined,
      note: () => undefined,
    });

    /** One simulator step, and the consolidated ES price it brought (every step must bring one: that is "no gap"). */
    const stepAndSeeEsPrice = async (what: string) => {
      const before = consolidated.length;
      w.sim.stepPrices(1);
      await waitUntil(() => consolidated.length > before, `a consolidated ES price ${what}`);
    };

    // Wednesday: December streams.
    expect(source.describe!()).toMatchObject({ contractMonths: { ES: '202612' }, rolls: 0 });
    expect(md.requests()).toEqual([expect.objectContaining({ conId: esz6.conId })]);
    const december = md.requests()[0]!.reqId;
    await stepAndSeeEsPrice('from December');
    expect(md.ticksOf(december)).toBeGreaterThan(0);
    // A check before the roll date changes nothing.
    sourceClock.increment(ROLL_CHECK_INTERVAL_MS);
    await stepAndSeeEsPrice('still from December');
    expect(md.requests()).toHaveLength(1);

    // Friday 11 Dec, 09:00 CT: the roll date. The broker's clock follows the gateway's at the next heartbeat.
    gatewayClock.moveTo('2026-12-11T15:00:00Z');
    await brokerFollows('Friday');
    await stepAndSeeEsPrice('before the roll check');
    sourceClock.increment(ROLL_CHECK_INTERVAL_MS);
    await waitUntil(() => published.length === 1 && md.cancels().length === 1, 'the roll announced and December cancelled');
    const rolledAt = session.brokerClock.now();

    // New month first, old cancelled after: ES had a live subscription at every instant.
    expect(md.calls.map((c) => [c.call, c.conId ?? c.reqId])).toEqual([['req', esz6.conId], ['req', esh7.conId], ['cancel', december]]);
    const march = md.requests()[1]!.reqId;
    expect(published).toHaveLength(1);
    expect(published[0]!.topic).toBe(MARKET_DATA_ROLL_TOPIC);
    const roll = published[0]!.payload as MarketDataRoll;
    expect(roll).toMatchObject({ symbol: 'ES', from: '202612', to: '202703', sourceId: 'ib' } satisfies Partial<MarketDataRoll>);
    expect(Date.parse(roll.at)).toBeGreaterThanOrEqual(Date.parse('2026-12-11T15:00:00Z') - 1_000);
    expect(Date.parse(roll.at)).toBeLessThanOrEqual(rolledAt);
    expect(source.describe!()).toMatchObject({ subscriptions: ['ES'], contractMonths: { ES: '202703' }, rolls: 1 });

    // The simulator streams March on the new request and nothing more on December's (which it knew: no 300 for the cancel).
    const decemberTicks = md.ticksOf(december);
    await stepAndSeeEsPrice('from March');
    w.sim.setPrice('ES', 6_010);
    await waitUntil(() => consolidated.at(-1)?.price === 6_010, 'the March price consolidated');
    expect(md.ticksOf(march)).toBeGreaterThan(0);
    expect(md.ticksOf(december)).toBe(decemberTicks);
    expect(md.errors.filter((e) => e.reqId === december || e.reqId === march)).toEqual([]);
    // The consolidated ES price never lost its source across the switch.
    expect(consolidated.every((p) => p.sourceCount === 1)).toBe(true);

    // An order without an expiry goes to March: the broker booked it on ESH7's conId.
    const s = await w.startService({ contracts });
    await s.service.whenTakingJobs();
    await w.queue.add('order', orderJob('roll-noexp-1', { instrument: { symbol: 'ES' } }));
    expect(await waitForState(s.service, 'roll-noexp-1', ['filled'])).toBe('filled');
    expect((await s.service.store.load('roll-noexp-1'))!.spec.expiry).toBe('202703');
    const executions = w.sim.ledger.byOrderRef('roll-noexp-1');
    expect(executions.length).toBeGreaterThan(0);
    expect(new Set(executions.map((e) => e.conId))).toEqual(new Set([esh7.conId]));
    expect(s.service.positions.position('DU1234567', 'ES', '202703')).toBe(2);
    const fills = new Queue('fills', { connection: w.redis, prefix: w.prefix });
    cleanups.push(() => fills.close());
    await waitUntil(async () => (await fills.getJobs(['waiting', 'delayed', 'prioritized'])).some((j) => j.data.clientOrderId === 'roll-noexp-1'), 'the fill published');

    // Friday 18 Dec, 09:00 CT: ESZ6 stopped trading at 08:30 CT. Reference data no longer offers it: IB's contract
    // details carry the last trade time with the date ('20261218 08:30:00'), so the month's end is known to the minute.
    const listedBefore = (await referenceData.futuresOf('ES', contracts.now)).map((l) => l.contractMonth);
    expect(listedBefore[0]).toBe('202612');
    const asked = md.esListings();
    gatewayClock.moveTo('2026-12-18T15:00:00Z');
    w.sim.stepPrices(1); // the simulator applies its calendar: ESZ6 leaves its listing
    await brokerFollows('18 December');
    const listedAfter = (await referenceData.futuresOf('ES', contracts.now)).map((l) => l.contractMonth);
    // The cached listing went stale with its front month and was asked again, once (whoever read it first).
    expect(md.esListings()).toBe(asked + 1);
    expect(listedAfter).not.toContain('202612');
    expect(listedAfter[0]).toBe('202703');
    expect(listedAfter).toEqual(w.sim.catalogue.listed().filter((i) => i.symbol === 'ES').map((i) => i.contractMonth));
    expect((await contracts.current('ES')).contractMonth).toBe('202703');
    // The source has nothing left to roll: still March, still one roll.
    sourceClock.increment(ROLL_CHECK_INTERVAL_MS);
    await stepAndSeeEsPrice('from March after December expired');
    expect(md.requests()).toHaveLength(2);
    expect(published).toHaveLength(1);
    expect(source.describe!()).toMatchObject({ contractMonths: { ES: '202703' }, rolls: 1 });
  });
});
