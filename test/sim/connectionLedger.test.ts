import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { TwsSimulator } from '../../src/sim/index.ts';
import { EventName, TestClient, futures, order, waitForDisconnect } from './harness.ts';
import { startSimulator } from '../support/simulator.ts';
import { waitUntil } from '../support/waitUntil.ts';

const CLIENT_PROCESS = fileURLToPath(new URL('./fixtures/apiClientProcess.mjs', import.meta.url));

/** A bare API client in a child process: it can be paused (SIGSTOP) or killed like a tradewire node. */
async function spawnClient(port: number, clientId: number): Promise<{ child: ChildProcess; localPort: number }> {
  const child = spawn(process.execPath, [CLIENT_PROCESS, String(port), String(clientId)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    new Promise((_, reject) => setTimeout(() => reject(new Error('client process did not report')), 5_000).unref()),
  ])) as [string];
  const report = JSON.parse(line) as { ready?: boolean; localPort?: number };
  if (!report.ready) throw new Error(`client process not accepted: ${line}`);
  return { child, localPort: report.localPort as number };
}

describe('connection and message ledger (real TCP)', () => {
  let sim: TwsSimulator;
  let port: number;
  const clients: TestClient[] = [];
  const children: ChildProcess[] = [];
  afterEach(async () => {
    const unexpected = clients.flatMap((c) => c.unexpectedErrors());
    for (const c of clients.splice(0)) c.disconnect();
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sim.close();
    expect(unexpected).toEqual([]);
  });

  async function client(clientId: number): Promise<{ c: TestClient; nextId: number }> {
    const c = new TestClient(port);
    clients.push(c);
    return { c, nextId: await c.connect(clientId) };
  }

  /** What a client with a taken id sees: 326, then the socket closes. */
  async function refused(clientId: number): Promise<void> {
    const c = new TestClient(port);
    const code = c.next(EventName.info, (_m: string, code: number) => code === 326);
    const closed = c.next(EventName.disconnected);
    c.ib.connect(clientId);
    await code;
    await closed;
    expect(c.unexpectedErrors()).toEqual([]);
  }

  it('records who sent each order message (connection, client id, wall-clock time) and the outcome, across reconnects', async () => {
    // The market clock is far away: the ledger must still use wall-clock time.
    const marketNow = Date.UTC(2027, 0, 5, 15, 0, 0); // a Tuesday in the grain session, a month away
    ({ sim, port } = await startSimulator({ clock: { now: () => marketNow }, pacing: { enabled: false } }));
    const t0 = Date.now();
    const { c: first, nextId: id } = await client(31);
    const low = sim.price('ZC') - 10;
    const submitted = first.next(EventName.orderStatus, (oid: number, s: string) => oid === id && s === 'Submitted');
    first.ib.placeOrder(id, futures('ZC'), order('BUY', 2, 'LMT', { lmtPrice: low, orderRef: 'r-1', tif: 'GTC' }));
    await submitted;
    const modified = first.next(EventName.openOrder, (oid: number, _c: unknown, o: { totalQuantity?: number }) => oid === id && o.totalQuantity === 3);
    first.ib.placeOrder(id, futures('ZC'), order('BUY', 3, 'LMT', { lmtPrice: low, orderRef: 'r-1', tif: 'GTC' }));
    await modified;
    first.ib.placeOrder(id + 1, futures('NOPE'), order('BUY', 1, 'MKT', { orderRef: 'r-bad' }));
    await first.expectError(200, id + 1);
    const firstConnection = sim.clients().find((x) => x.clientId === 31)!.connectionId;
    first.disconnect();
    await waitForDisconnect(first);
    await waitUntil(() => sim.ledger.connection(firstConnection)?.closedAt !== undefined, 'the first connection to close');

    // The same client id again, on a new connection: it owns the order and cancels it.
    const { c: second } = await client(31);
    const cancelled = second.next(EventName.orderStatus, (oid: number, s: string) => oid === id && s === 'Cancelled');
    second.ib.cancelOrder(id);
    await cancelled;
    await second.expectError(202, id);
    const secondConnection = sim.clients().find((x) => x.clientId === 31)!.connectionId;
    const t1 = Date.now();

    expect(secondConnection).not.toBe(firstConnection);
    const permId = sim.orders().find((o) => o.orderRef === 'r-1')!.permId;
    const messages = sim.ledger.messages();
    expect(messages.map((m) => ({ seq: m.seq, connectionId: m.connectionId, clientId: m.clientId, type: m.type, intent: m.intent, orderId: m.orderId, orderRef: m.orderRef, permId: m.permId, outcome: m.outcome, errorCode: m.errorCode }))).toEqual([
      { seq: 1, connectionId: firstConnection, clientId: 31, type: 'placeOrder', intent: 'new', orderId: id, orderRef: 'r-1', permId, outcome: 'accepted', errorCode: undefined },
      { seq: 2, connectionId: firstConnection, clientId: 31, type: 'placeOrder', intent: 'modify', orderId: id, orderRef: 'r-1', permId, outcome: 'accepted', errorCode: undefined },
      { seq: 3, connectionId: firstConnection, clientId: 31, type: 'placeOrder', intent: 'new', orderId: id + 1, orderRef: 'r-bad', permId: undefined, outcome: 'refused', errorCode: 200 },
      { seq: 4, connectionId: secondConnection, clientId: 31, type: 'cancelOrder', intent: undefined, orderId: id, orderRef: 'r-1', permId, outcome: 'accepted', errorCode: undefined },
    ]);
    expect(messages[1]?.order).toEqual({ symbol: 'ZC', action: 'BUY', totalQuantity: 3, orderType: 'LMT', lmtPrice: low, tif: 'GTC', account: '' });
    for (const m of messages) {
      expect(m.at).toBeGreaterThanOrEqual(t0);
      expect(m.at).toBeLessThanOrEqual(t1);
      expect(Object.isFrozen(m)).toBe(true);
    }
    expect(messages.map((m) => m.at)).toEqual([...messages.map((m) => m.at)].sort((a, b) => a - b));
    expect(sim.ledger.messages({ connectionId: secondConnection }).map((m) => m.seq)).toEqual([4]);

    const [one, two] = sim.ledger.connections({ clientId: 31 });
    expect(one).toMatchObject({ connectionId: firstConnection, clientId: 31, status: 'accepted', remoteAddress: '127.0.0.1', serverVersion: 193, closeReason: 'closed by the client' });
    expect(two).toMatchObject({ connectionId: secondConnection, clientId: 31, status: 'accepted' });
    expect(two?.closedAt).toBeUndefined();
    expect(one!.openedAt).toBeGreaterThanOrEqual(t0);
    expect(one!.openedAt).toBeLessThanOrEqual(one!.startedAt!);
    expect(one!.startedAt!).toBeLessThanOrEqual(messages[0]!.at);
    expect(one!.closedAt!).toBeGreaterThanOrEqual(messages[2]!.at);
    expect(one!.closedAt!).toBeLessThanOrEqual(two!.startedAt!);
    expect(sim.ledger.connections({ open: true }).map((r) => r.connectionId)).toEqual([secondConnection]);
    // The executions ledger is the same object's all()/byOrderRef(): nothing traded here.
    expect(sim.ledger.all()).toEqual([]);
  });

  it('326 for a client id in use is recorded as refused; the next id is accepted', async () => {
    ({ sim, port } = await startSimulator());
    await client(41);
    await refused(41);
    const { nextId } = await client(42);
    expect(nextId).toBe(1);
    expect(sim.ledger.connections().map((r) => [r.clientId, r.status, r.errorCode, r.closedAt === undefined])).toEqual([
      [41, 'accepted', undefined, true],
      [41, 'refused', 326, false],
      [42, 'accepted', undefined, true],
    ]);
    expect(sim.ledger.connections({ status: 'refused' })[0]?.closeReason).toBe('client id in use');
  });

  it('a paused (SIGSTOPped) client keeps its client id however long it stays silent; killed, the id is free at once', async () => {
    let now = Date.now();
    ({ sim, port } = await startSimulator({ clock: { now: () => now } }));
    const { child, localPort } = await spawnClient(port, 51);
    children.push(child);
    const [record] = sim.ledger.connections({ clientId: 51 });
    expect(record).toMatchObject({ status: 'accepted', remoteAddress: '127.0.0.1', remotePort: localPort });

    child.kill('SIGSTOP');
    // A day of simulated time and a busy market: nothing in the simulator times the silent client out.
    now += 24 * 60 * 60 * 1000;
    sim.stepPrices(500);
    await refused(51);
    const { nextId } = await client(52); // the standby moves on to its next configured id
    expect(nextId).toBe(1);
    expect(sim.ledger.connection(record!.connectionId)?.closedAt).toBeUndefined();
    expect(sim.clients().map((c) => c.clientId).sort()).toEqual([51, 52]);

    child.kill('SIGKILL');
    await waitUntil(() => sim.ledger.connection(record!.connectionId)?.closedAt !== undefined, 'the killed client to be noticed');
    await client(51);
    const rows = sim.ledger.connections({ clientId: 51 });
    expect(rows.map((r) => r.status)).toEqual(['accepted', 'refused', 'accepted']);
    expect(rows[0]!.closedAt!).toBeLessThanOrEqual(rows[2]!.startedAt!);
  });

  it('an order message refused by pacing (error 100) is recorded as refused with its order id', async () => {
    const now = Date.now();
    ({ sim, port } = await startSimulator({ clock: { now: () => now }, pacing: { enabled: true, maxMessagesPerSecond: 2 } }));
    const { c, nextId: id } = await client(61);
    const low = sim.price('ZC') - 10;
    for (let k = 0; k < 3; k += 1) c.ib.placeOrder(id + k, futures('ZC'), order('BUY', 1, 'LMT', { lmtPrice: low, orderRef: `p-${k}` }));
    await c.expectInfo(100);
    await waitUntil(() => sim.ledger.messages().length === 3, 'three order messages');
    expect(sim.ledger.messages().map((m) => [m.orderId, m.orderRef, m.outcome, m.errorCode])).toEqual([
      [id, 'p-0', 'accepted', undefined],
      [id + 1, 'p-1', 'accepted', undefined],
      [id + 2, 'p-2', 'refused', 100],
    ]);
    expect(sim.openOrders(61)).toHaveLength(2);
  });
});
