import { afterEach, describe, expect, it } from 'vitest';
import { TwsSimulator, simulatorOptionsSchema } from '../../src/sim/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { EventName, TestClient, futures, order } from './harness.ts';
import { startSimulator } from '../support/simulator.ts';
import { TEST_SIM_CLOCK } from '../support/simClock.ts';

describe('TwsSimulator public API', () => {
  const toClose: (TwsSimulator | TestClient)[] = [];
  afterEach(async () => {
    for (const item of toClose.splice(0)) {
      if (item instanceof TestClient) {
        const unexpected = item.unexpectedErrors();
        item.disconnect();
        expect(unexpected).toEqual([]);
      } else await item.close();
    }
  });

  it('validates options and fills in the documented defaults', () => {
    const config = simulatorOptionsSchema.parse({});
    expect(config).toMatchObject({
      serverVersionRange: { min: 100, max: 193 },
      seed: 1,
      tickIntervalMs: 250,
      slippageTicks: 1,
      partialFills: { enabled: false, maxQtyPerFill: 1 },
      commissionPerContract: 2.25,
      pacing: { enabled: true, maxMessagesPerSecond: 50 },
      accounts: [{ id: 'DU1234567', cash: 1_000_000, currency: 'USD' }],
    });
    expect(config.instruments.map((i) => i.symbol)).toEqual(['ES', 'NQ', 'ZN', 'ZB', 'CL', 'GC', 'ZC', 'ZW', '6E']);
    expect(() => new TwsSimulator({ serverVersionRange: { min: 150, max: 120 }, logger: createSilentLogger() })).toThrow();
    expect(() => new TwsSimulator({ serverVersionRange: { min: 90, max: 193 }, logger: createSilentLogger() })).toThrow();
  });

  it('is reproducible: the same seed gives the same prices', () => {
    const a = new TwsSimulator({ clock: TEST_SIM_CLOCK, seed: 11, tickIntervalMs: 0, logger: createSilentLogger() });
    const b = new TwsSimulator({ clock: TEST_SIM_CLOCK, seed: 11, tickIntervalMs: 0, logger: createSilentLogger() });
    a.stepPrices(250);
    b.stepPrices(250);
    const symbols = a.catalogue.products.map((i) => i.symbol);
    expect(symbols.map((s) => a.price(s))).toEqual(symbols.map((s) => b.price(s)));
    const c = new TwsSimulator({ clock: TEST_SIM_CLOCK, seed: 12, tickIntervalMs: 0, logger: createSilentLogger() });
    c.stepPrices(250);
    expect(symbols.map((s) => c.price(s))).not.toEqual(symbols.map((s) => a.price(s)));
  });

  it('uses the injected clock for execution times, currentTime and pacing', async () => {
    let now = Date.UTC(2027, 0, 4, 14, 30, 0);
    const { sim } = await startSimulator({ clock: { now: () => now }, pacing: { enabled: true, maxMessagesPerSecond: 3 } });
    toClose.push(sim);
    const client = new TestClient(sim.address!.port);
    toClose.push(client);
    const id = await client.connect(1);
    const time = client.next(EventName.currentTime);
    client.ib.reqCurrentTime();
    expect((await time)[0]).toBe(now / 1000);
    const exec = client.next(EventName.execDetails);
    client.ib.placeOrder(id, futures('ES'), order('BUY', 1, 'MKT'));
    expect((await exec)[2].time).toBe('20270104 14:30:00 UTC');
    expect(sim.ledger.all()[0]?.time).toBe(now);
    // Third message in the same (frozen) second breaks the 3/s limit; a second later it is fine.
    const paced = client.next(EventName.info, (_m: string, code: number) => code === 100);
    client.ib.reqCurrentTime();
    client.ib.reqCurrentTime();
    await paced;
    now += 1_000;
    const later = client.next(EventName.currentTime, (t: number) => t === now / 1000);
    client.ib.reqCurrentTime();
    await later;
  });

  it('serves several clients at once, each seeing only its own order events', async () => {
    const { sim } = await startSimulator({ partialFills: { enabled: true, maxQtyPerFill: 2 } });
    toClose.push(sim);
    const [a, b] = [new TestClient(sim.address!.port), new TestClient(sim.address!.port)];
    toClose.push(a, b);
    const [idA, idB] = await Promise.all([a.connect(21), b.connect(22)]);
    // Both clients start at order id 1 (ids are per client); the status's clientId tells them apart.
    const clientIdsSeenByB = new Set<number>();
    b.on(EventName.orderStatus, (...args: unknown[]) => clientIdsSeenByB.add(args[8] as number));
    const partial = a.next(EventName.orderStatus, (oid: number, s: string, filled: number) => oid === idA && s === 'Submitted' && filled === 2);
    a.ib.placeOrder(idA, futures('ZB'), order('BUY', 5, 'MKT', { orderRef: 'A' }));
    expect((await partial).slice(2, 4)).toEqual([2, 3]);
    const filledA = a.next(EventName.orderStatus, (oid: number, s: string) => oid === idA && s === 'Filled');
    sim.stepPrices(2);
    await filledA;
    const filledB = b.next(EventName.orderStatus, (oid: number, s: string) => oid === idB && s === 'Filled');
    b.ib.placeOrder(idB, futures('ZB'), order('SELL', 1, 'MKT', { orderRef: 'B' }));
    await filledB;
    expect([...clientIdsSeenByB]).toEqual([22]);
    expect(sim.ledger.byOrderRef('A').map((e) => e.qty)).toEqual([2, 2, 1]);
    expect(sim.ledger.byOrderRef('B').map((e) => [e.clientId, e.qty])).toEqual([[22, 1]]);
    expect(sim.positions('DU1234567').find((p) => p.symbol === 'ZB')?.qty).toBe(4);
    expect(sim.clients().map((c) => c.clientId).sort()).toEqual([21, 22]);
  });

  it('streams prices on its own timer when tickIntervalMs is set', async () => {
    const { sim } = await startSimulator({ tickIntervalMs: 10, volatility: 0.001 });
    toClose.push(sim);
    const client = new TestClient(sim.address!.port);
    toClose.push(client);
    await client.connect(1);
    const prices = new Set<number>();
    const moved = new Promise<void>((resolve) =>
      client.on(EventName.tickPrice, (id: number, type: number, price: number) => {
        if (id === 1 && type === 4) prices.add(price);
        if (prices.size >= 3) resolve();
      }),
    );
    client.ib.reqMktData(1, futures('NQ'), '', false, false);
    await moved;
  });
});
