import { afterEach, describe, expect, it } from 'vitest';
import { type TwsSimulator, simulatorFaultSchema } from '../../src/sim/index.ts';
import { ConnectionState, IBApiNext } from '@stoqey/ib';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { EventName, TestClient, WAIT_MS, futures, order } from './harness.ts';
import { startSimulator } from '../support/simulator.ts';

/** Every fault kind, observed the way a real client observes IB. */
describe('fault injection', () => {
  let sim: TwsSimulator;
  let clients: TestClient[] = [];

  async function setup(options: Parameters<typeof startSimulator>[0] = {}): Promise<TestClient> {
    ({ sim } = await startSimulator(options));
    return connectClient(1);
  }

  async function connectClient(clientId: number): Promise<TestClient> {
    const client = new TestClient(sim.address!.port);
    clients.push(client);
    await client.connect(clientId);
    return client;
  }

  /** Request/response barrier: anything the server sent before the answer has been delivered. */
  async function roundTrip(client: TestClient, timeoutMs?: number): Promise<void> {
    const time = client.next(EventName.currentTime, () => true, timeoutMs);
    client.ib.reqCurrentTime();
    await time;
  }

  afterEach(async () => {
    const unexpected = clients.flatMap((c) => c.unexpectedErrors());
    for (const c of clients) c.disconnect();
    clients = [];
    await sim?.close();
    expect(unexpected).toEqual([]);
  });

  it('validates fault events with the exported schema', () => {
    expect(simulatorFaultSchema.safeParse({ kind: 'connectivityLost', restoreAfterMs: 10, restoreCode: 1102 }).success).toBe(true);
    expect(simulatorFaultSchema.safeParse({ kind: 'connectivityLost', restoreAfterMs: 10, restoreCode: 1100 }).success).toBe(false);
    expect(simulatorFaultSchema.safeParse({ kind: 'delay' }).success).toBe(false);
    expect(simulatorFaultSchema.safeParse({ kind: 'nope' }).success).toBe(false);
  });

  it('dropAll closes every socket; clients can reconnect', async () => {
    const a = await setup();
    const b = await connectClient(2);
    const gone = Promise.all([a, b].map((c) => c.next(EventName.disconnected)));
    sim.injectFault({ kind: 'dropAll' });
    await gone;
    expect(sim.clients()).toEqual([]);
    const again = await connectClient(1);
    await roundTrip(again);
  });

  it('IBApiNext with a reconnect interval comes back by itself after dropAll and restart', async () => {
    ({ sim } = await startSimulator());
    const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const api = new IBApiNext({ host: '127.0.0.1', port: sim.address!.port, reconnectInterval: 50, logger: silent });
    const states: ConnectionState[] = [];
    api.connectionState.subscribe((s) => states.push(s));
    const connectedCount = (n: number) =>
      firstValueFrom(api.connectionState.pipe(filter(() => states.filter((s) => s === ConnectionState.Connected).length >= n), timeout(WAIT_MS)));
    try {
      api.connect(5);
      await connectedCount(1);
      sim.injectFault({ kind: 'dropAll' });
      await connectedCount(2);
      sim.injectFault({ kind: 'restart' });
      await connectedCount(3);
      expect(await api.getCurrentTime()).toBeGreaterThan(0);
      expect(sim.clients().map((c) => c.clientId)).toEqual([5]);
    } finally {
      api.disconnect();
    }
  });

  it('halfOpen keeps the socket open but answers nothing until switched off', async () => {
    const client = await setup();
    sim.injectFault({ kind: 'halfOpen' });
    await expect(roundTrip(client, 300)).rejects.toThrow(/timed out/);
    expect(client.ib.isConnected).toBe(true);
    expect(sim.clients()).toHaveLength(1);
    sim.injectFault({ kind: 'halfOpen', on: false });
    await roundTrip(client);
  });

  it('connectivityLost sends 1100, halts trading, then 1102 and trading resumes', async () => {
    const client = await setup();
    const sequence: string[] = [];
    client.on(EventName.info, (_m: string, code: number) => sequence.push(`info ${code}`));
    client.on(EventName.orderStatus, (_id: number, status: string) => sequence.push(status));
    const filled = client.next(EventName.orderStatus, (_id: number, s: string) => s === 'Filled');
    sim.injectFault({ kind: 'connectivityLost', restoreAfterMs: 250, restoreCode: 1102 });
    client.ib.placeOrder(1, futures('ES'), order('BUY', 1, 'MKT'));
    await filled;
    // Accepted during the outage, filled only once connectivity is back.
    expect(sequence).toEqual(['info 1100', 'Submitted', 'info 1102', 'Filled']);
    expect(client.infos.find((i) => i.code === 1100)?.message).toBe('Connectivity between IB and Trader Workstation has been lost.');
    expect(sim.ledger.size).toBe(1);
  });

  it('connectivityLost restored with 1101 drops market data subscriptions (data lost)', async () => {
    const client = await setup();
    const firstTick = client.next(EventName.tickPrice, (id: number) => id === 7);
    client.ib.reqMktData(7, futures('ES'), '', false, false);
    await firstTick;
    const restored = client.next(EventName.info, (_m: string, code: number) => code === 1101);
    sim.injectFault({ kind: 'connectivityLost', restoreAfterMs: 20, restoreCode: 1101 });
    await restored;
    let ticks = 0;
    client.ib.on(EventName.tickPrice, () => ticks++);
    sim.stepPrices(3);
    await roundTrip(client);
    expect(ticks).toBe(0);
    expect(client.infos.map((i) => i.code)).toEqual([2104, 2106, 2158, 1100, 1101]);
  });

  it('ibServerLost sends 2110', async () => {
    const client = await setup();
    const info = client.next(EventName.info, (_m: string, code: number) => code === 2110);
    sim.injectFault({ kind: 'ibServerLost' });
    expect((await info)[0]).toMatch(/Connectivity between Trader Workstation and server is broken/);
  });

  it('dataFarmBroken (2103) stops ticks until dataFarmRestored (2104)', async () => {
    const client = await setup();
    const firstTick = client.next(EventName.tickPrice, (id: number) => id === 3);
    client.ib.reqMktData(3, futures('CL'), '', false, false);
    await firstTick;
    const broken = client.next(EventName.info, (_m: string, code: number) => code === 2103);
    sim.injectFault({ kind: 'dataFarmBroken' });
    await broken;
    let ticks = 0;
    client.ib.on(EventName.tickPrice, () => ticks++);
    sim.stepPrices(5);
    await roundTrip(client);
    expect(ticks).toBe(0);
    const ok = client.next(EventName.info, (_m: string, code: number) => code === 2104);
    sim.injectFault({ kind: 'dataFarmRestored' });
    await ok;
    const resumed = client.next(EventName.tickPrice, (id: number) => id === 3);
    sim.stepPrices(1);
    await resumed;
  });

  it('delay holds every answer back by the given time, in order', async () => {
    const client = await setup();
    sim.injectFault({ kind: 'delay', ms: 150 });
    const started = performance.now();
    await roundTrip(client);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    sim.injectFault({ kind: 'delay', ms: 0 });
    const quick = performance.now();
    await roundTrip(client);
    expect(performance.now() - quick).toBeLessThan(150);
  });

  it('rejectNextOrders rejects exactly that many new orders with 201', async () => {
    const client = await setup();
    sim.injectFault({ kind: 'rejectNextOrders', count: 2 });
    const filled = client.next(EventName.orderStatus, (oid: number, s: string) => oid === 3 && s === 'Filled');
    for (const id of [1, 2, 3]) client.ib.placeOrder(id, futures('ES'), order('BUY', 1, 'MKT'));
    await filled;
    await client.expectError(201, 1);
    await client.expectError(201, 2);
    expect(sim.ledger.all().map((e) => e.orderId)).toEqual([3]);
  });

  it('duplicateNextExecution reports one execution twice; the ledger records it once', async () => {
    const client = await setup();
    sim.injectFault({ kind: 'duplicateNextExecution' });
    const execs = client.collect(EventName.execDetails, EventName.orderStatus, (_id: number, s: string) => s === 'Filled');
    const reports = client.collect(EventName.commissionReport, EventName.currentTime);
    client.ib.placeOrder(1, futures('GC'), order('SELL', 1, 'MKT', { orderRef: 'dup' }));
    const seen = await execs;
    await roundTrip(client);
    expect(seen.map((e) => e[2].execId)).toEqual([seen[0]?.[2].execId, seen[0]?.[2].execId]);
    expect((await reports).length).toBe(2);
    expect(sim.ledger.byOrderRef('dup')).toHaveLength(1);
  });

  it('garbledFrame makes the client report a decode error, and the connection keeps working', async () => {
    const client = await setup();
    sim.injectFault({ kind: 'garbledFrame' });
    const error = await client.expectError(505);
    expect(error.message).toMatch(/Underrun error on ORDER_STATUS/);
    await roundTrip(client);
  });

  it('restart drops sessions but keeps order ids, open orders and positions', async () => {
    const client = await setup();
    const filled = client.next(EventName.orderStatus, (oid: number, s: string) => oid === 1 && s === 'Filled');
    const resting = client.next(EventName.orderStatus, (oid: number, s: string) => oid === 2 && s === 'Submitted');
    client.ib.placeOrder(1, futures('ZN'), order('BUY', 2, 'MKT', { orderRef: 'before-restart' }));
    client.ib.placeOrder(2, futures('ZN'), order('BUY', 1, 'LMT', { lmtPrice: 100, tif: 'GTC' }));
    await filled;
    await resting;
    const gone = client.next(EventName.disconnected);
    sim.injectFault({ kind: 'restart' });
    await gone;

    const again = new TestClient(sim.address!.port);
    clients.push(again);
    expect(await again.connect(1)).toBe(3);
    const open = again.collect(EventName.openOrder, EventName.openOrderEnd);
    again.ib.reqOpenOrders();
    expect((await open).map((o) => o[0])).toEqual([2]);
    expect(sim.positions().find((p) => p.symbol === 'ZN')?.qty).toBe(2);
    expect(sim.ledger.byOrderRef('before-restart')).toHaveLength(1);
  });

  it('pacing: over the limit gets error 100, and repeated violations can drop the connection', async () => {
    const client = await setup({ pacing: { enabled: true, maxMessagesPerSecond: 5, disconnectAfterViolations: 3 } });
    const closed = client.next(EventName.disconnected);
    for (let i = 0; i < 10; i++) client.ib.reqCurrentTime();
    await closed;
    const pacingInfos = client.infos.filter((i) => i.code === 100);
    expect(pacingInfos.length).toBe(3);
    expect(pacingInfos[0]?.message).toMatch(/^Max rate of messages per second has been exceeded:max=5 rec=6/);
  });
});
