import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorOptions, TwsSimulator } from '../../src/sim/index.ts';
import { EventName, TestClient, futures, order } from './harness.ts';
import { startSimulator } from '../support/simulator.ts';

/**
 * IB's client-id rules over real TCP with two (or three) real IBApi clients: orders belong to the
 * client id that placed them, order ids are per client, only the owner can cancel or modify.
 */
describe('client-id rules (real TCP, several clients)', () => {
  let sim: TwsSimulator;
  let port: number;
  const clients: TestClient[] = [];
  afterEach(async () => {
    const unexpected = clients.flatMap((c) => c.unexpectedErrors());
    for (const c of clients.splice(0)) c.disconnect();
    await sim.close();
    expect(unexpected).toEqual([]);
  });

  async function start(options: SimulatorOptions = {}): Promise<void> {
    ({ sim, port } = await startSimulator({ pacing: { enabled: false }, ...options }));
  }

  async function client(clientId: number): Promise<{ c: TestClient; nextId: number }> {
    const c = new TestClient(port);
    clients.push(c);
    return { c, nextId: await c.connect(clientId) };
  }

  /** A working limit order far from the market, acknowledged as Submitted. */
  async function rest(c: TestClient, orderId: number, orderRef: string, offset = 10): Promise<void> {
    const submitted = c.next(EventName.orderStatus, (oid: number, s: string) => oid === orderId && s === 'Submitted');
    c.ib.placeOrder(orderId, futures('ZC'), order('BUY', 1, 'LMT', { lmtPrice: sim.price('ZC') - offset, orderRef, tif: 'GTC' }));
    await submitted;
  }

  /** Round trip on `c`: anything the simulator queued for it earlier has arrived once this resolves. */
  async function sync(c: TestClient): Promise<void> {
    const time = c.next(EventName.currentTime);
    c.ib.reqCurrentTime();
    await time;
  }

  async function openOrders(c: TestClient, request: 'own' | 'all'): Promise<{ orderId: number; clientId: number; orderRef: string }[]> {
    const seen = c.collect(EventName.openOrder, EventName.openOrderEnd);
    if (request === 'own') c.ib.reqOpenOrders();
    else c.ib.reqAllOpenOrders();
    return (await seen).map(([orderId, , o]) => ({ orderId, clientId: o.clientId, orderRef: o.orderRef }));
  }

  it("cancelOrder of another client's order is refused with 10147 and the order keeps working", async () => {
    await start();
    const { c: a, nextId: idA } = await client(11);
    const { c: b } = await client(12);
    await rest(a, idA, 'a-1');
    const aCancelled: number[] = [];
    a.on(EventName.orderStatus, (oid: number, s: string) => s === 'Cancelled' && aCancelled.push(oid));

    b.ib.cancelOrder(idA);
    const refused = await b.expectError(10147, idA);
    expect(refused.message).toBe(`OrderId ${idA} that needs to be cancelled is not found.`);
    await sync(a);

    expect(aCancelled).toEqual([]);
    expect(sim.openOrders(11).map((o) => [o.orderId, o.status])).toEqual([[idA, 'Submitted']]);
    const bConnection = sim.clients().find((x) => x.clientId === 12)?.connectionId;
    expect(sim.ledger.messages({ type: 'cancelOrder' })).toEqual([
      expect.objectContaining({ connectionId: bConnection, clientId: 12, orderId: idA, orderRef: '', outcome: 'refused', errorCode: 10147 }),
    ]);
    expect(sim.ledger.messages({ type: 'cancelOrder' })[0]).not.toHaveProperty('permId');

    // The owner still can.
    const cancelled = a.next(EventName.orderStatus, (oid: number, s: string) => oid === idA && s === 'Cancelled');
    a.ib.cancelOrder(idA);
    await cancelled;
    await a.expectError(202, idA);
    expect(sim.ledger.messages({ type: 'cancelOrder', outcome: 'accepted' })).toEqual([
      expect.objectContaining({ clientId: 11, orderId: idA, orderRef: 'a-1', permId: sim.orders()[0]?.permId }),
    ]);
  });

  it("a 'modify' from another client id is a second, new order for that client; the ledger shows both", async () => {
    await start();
    const { c: a, nextId: idA } = await client(11);
    const { c: b, nextId: idB } = await client(12);
    expect(idB).toBe(idA); // order ids are per client: both sequences start at 1
    await rest(a, idA, 'a-1', 10);
    // A standby that took over under another client id "modifies" A's order by re-sending its id and orderRef.
    await rest(b, idA, 'a-1', 5);

    const working = sim.openOrders().map((o) => ({ clientId: o.clientId, orderId: o.orderId, orderRef: o.orderRef, lmtPrice: o.lmtPrice }));
    expect(working).toEqual([
      { clientId: 11, orderId: idA, orderRef: 'a-1', lmtPrice: sim.price('ZC') - 10 },
      { clientId: 12, orderId: idA, orderRef: 'a-1', lmtPrice: sim.price('ZC') - 5 },
    ]);
    const placed = sim.ledger.messages({ type: 'placeOrder', orderRef: 'a-1' });
    expect(placed.map((m) => [m.clientId, m.orderId, m.intent, m.outcome])).toEqual([
      [11, idA, 'new', 'accepted'],
      [12, idA, 'new', 'accepted'],
    ]);
    expect(placed[0]?.permId).not.toBe(placed[1]?.permId);

    // The owner's own re-send of the id is the modification.
    const modified = a.next(EventName.openOrder, (oid: number, _c: unknown, o: { lmtPrice?: number }) => oid === idA && o.lmtPrice === sim.price('ZC') - 8);
    a.ib.placeOrder(idA, futures('ZC'), order('BUY', 1, 'LMT', { lmtPrice: sim.price('ZC') - 8, orderRef: 'a-1', tif: 'GTC' }));
    await modified;
    expect(sim.ledger.messages({ clientId: 11, type: 'placeOrder' }).map((m) => [m.intent, m.permId])).toEqual([
      ['new', placed[0]?.permId],
      ['modify', placed[0]?.permId],
    ]);
    expect(sim.openOrders()).toHaveLength(2);
  });

  it('an id already used by this client is 103; an id the client was shown by reqAllOpenOrders is 103 too, and nextValidId moves past it', async () => {
    await start();
    const { c: a, nextId: idA } = await client(11);
    await rest(a, idA + 4, 'a-5');
    const cancelled = a.next(EventName.orderStatus, (oid: number, s: string) => oid === idA + 4 && s === 'Cancelled');
    a.ib.cancelOrder(idA + 4);
    await cancelled;
    await a.expectError(202, idA + 4);
    a.ib.placeOrder(idA + 4, futures('ZC'), order('BUY', 1, 'LMT', { lmtPrice: sim.price('ZC') - 10 }));
    expect((await a.expectError(103, idA + 4)).message).toBe('Duplicate order id');
    a.ib.placeOrder(idA + 2, futures('ZC'), order('BUY', 1, 'LMT', { lmtPrice: sim.price('ZC') - 10 }));
    await a.expectError(103, idA + 2); // never used, but below this client's highest id
    await rest(a, idA + 6, 'a-7');

    // C has seen nothing: A's ids mean nothing to it.
    const { c: c, nextId: idC } = await client(13);
    expect(idC).toBe(1);
    expect(await openOrders(c, 'own')).toEqual([]);
    // reqAllOpenOrders shows every client's working orders, with their owners...
    expect(await openOrders(c, 'all')).toEqual([{ orderId: idA + 6, clientId: 11, orderRef: 'a-7' }]);
    // ...and IB requires C's new ids to be above them from then on.
    c.ib.placeOrder(idA + 6, futures('ZC'), order('BUY', 1, 'LMT', { lmtPrice: sim.price('ZC') - 5, orderRef: 'a-7' }));
    await c.expectError(103, idA + 6);
    const ids = c.next(EventName.nextValidId);
    c.ib.reqIds();
    expect((await ids)[0]).toBe(idA + 7);
    expect(sim.openOrders().map((o) => [o.clientId, o.orderId])).toEqual([[11, idA + 6]]);
    expect(sim.ledger.messages({ outcome: 'refused' }).map((m) => [m.clientId, m.orderId, m.intent, m.errorCode])).toEqual([
      [11, idA + 4, 'new', 103],
      [11, idA + 2, 'new', 103],
      [13, idA + 6, 'new', 103],
    ]);
  });

  it('reqOpenOrders shows only this client id\'s orders, reqAllOpenOrders every client\'s', async () => {
    await start();
    const { c: a, nextId: idA } = await client(11);
    const { c: b, nextId: idB } = await client(12);
    await rest(a, idA, 'a-1');
    await rest(b, idB + 1, 'b-2');
    expect(await openOrders(a, 'own')).toEqual([{ orderId: idA, clientId: 11, orderRef: 'a-1' }]);
    expect(await openOrders(b, 'own')).toEqual([{ orderId: idB + 1, clientId: 12, orderRef: 'b-2' }]);
    const all = [
      { orderId: idA, clientId: 11, orderRef: 'a-1' },
      { orderId: idB + 1, clientId: 12, orderRef: 'b-2' },
    ];
    expect(await openOrders(a, 'all')).toEqual(all);
    expect(await openOrders(b, 'all')).toEqual(all);
  });

  it('reqGlobalCancel cancels every client\'s orders; each owner is told, and the ledger lists them', async () => {
    await start();
    const { c: a, nextId: idA } = await client(11);
    const { c: b, nextId: idB } = await client(12);
    await rest(a, idA, 'a-1');
    await rest(b, idB, 'b-1');
    const aTold = a.next(EventName.orderStatus, (oid: number, s: string) => oid === idA && s === 'Cancelled');
    const bTold = b.next(EventName.orderStatus, (oid: number, s: string) => oid === idB && s === 'Cancelled');
    b.ib.reqGlobalCancel();
    await Promise.all([aTold, bTold]);
    await a.expectError(202, idA);
    await b.expectError(202, idB);
    const [globalCancel] = sim.ledger.messages({ type: 'reqGlobalCancel' });
    expect(globalCancel).toMatchObject({ clientId: 12, outcome: 'accepted' });
    expect(globalCancel?.cancelled?.map((o) => [o.clientId, o.orderId, o.orderRef])).toEqual([
      [11, idA, 'a-1'],
      [12, idB, 'b-1'],
    ]);
  });

  it('the master API client id also gets openOrder, orderStatus, execDetails and commissionReport of other clients\' orders; no errors', async () => {
    await start({ masterClientId: 90 });
    const { c: master } = await client(90);
    const { c: a, nextId: idA } = await client(11);
    const seen: string[] = [];
    for (const e of [EventName.openOrder, EventName.orderStatus, EventName.execDetails, EventName.commissionReport]) {
      master.on(e, (...args: any[]) => seen.push(`${e}:${e === EventName.commissionReport ? 'exec' : e === EventName.execDetails ? args[2].clientId : args[0]}`));
    }
    const filled = a.next(EventName.orderStatus, (oid: number, s: string) => oid === idA + 2 && s === 'Filled');
    a.ib.placeOrder(idA + 2, futures('ES'), order('BUY', 1, 'MKT', { orderRef: 'mkt' }));
    await filled;
    await rest(a, idA + 3, 'lmt');
    const cancelled = master.next(EventName.orderStatus, (oid: number, s: string, ...rest: unknown[]) => oid === idA + 3 && s === 'Cancelled' && rest[6] === 11);
    a.ib.cancelOrder(idA + 3);
    await cancelled;
    await a.expectError(202, idA + 3);
    await sync(master);
    expect(seen).toEqual([
      `openOrder:${idA + 2}`,
      `orderStatus:${idA + 2}`,
      'execDetails:11',
      `orderStatus:${idA + 2}`,
      `openOrder:${idA + 2}`,
      'commissionReport:exec',
      `openOrder:${idA + 3}`,
      `orderStatus:${idA + 3}`,
      `orderStatus:${idA + 3}`,
    ]);
    // It cannot cancel them (not its orders), and its own new ids must be above what it was shown.
    master.ib.cancelOrder(idA + 2);
    await master.expectError(10147, idA + 2);
    const ids = master.next(EventName.nextValidId);
    master.ib.reqIds();
    expect((await ids)[0]).toBe(idA + 4);
  });

  it('client id 0 is not sent other API clients\' orders unless it is the configured master', async () => {
    await start();
    const { c: zero } = await client(0);
    const { c: a, nextId: idA } = await client(11);
    const toZero: unknown[] = [];
    for (const e of [EventName.openOrder, EventName.orderStatus, EventName.execDetails, EventName.commissionReport]) zero.on(e, (...args: unknown[]) => toZero.push(args));
    const filled = a.next(EventName.orderStatus, (oid: number, s: string) => oid === idA && s === 'Filled');
    a.ib.placeOrder(idA, futures('ES'), order('BUY', 1, 'MKT'));
    await filled;
    await sync(zero);
    expect(toZero).toEqual([]);
    // Nor may it cancel them.
    await rest(a, idA + 1, 'a-2');
    zero.ib.cancelOrder(idA + 1);
    await zero.expectError(10147, idA + 1);
    expect(sim.openOrders(11)).toHaveLength(1);
  });

  it("reqExecutions: the filter's clientId selects whose executions; commission reports for others' only to the master", async () => {
    await start({ masterClientId: 90 });
    const { c: a, nextId: idA } = await client(11);
    const { c: b } = await client(12);
    const filled = a.next(EventName.orderStatus, (oid: number, s: string) => oid === idA && s === 'Filled');
    a.ib.placeOrder(idA, futures('ES'), order('BUY', 1, 'MKT', { orderRef: 'a-exec' }));
    await filled;
    const execId = sim.ledger.byOrderRef('a-exec')[0]?.execId;

    async function executions(c: TestClient, reqId: number, clientId?: number) {
      const commissions = c.collect(EventName.commissionReport, EventName.currentTime);
      const details = c.collect(EventName.execDetails, EventName.execDetailsEnd, (id: number) => id === reqId);
      c.ib.reqExecutions(reqId, clientId === undefined ? {} : { clientId: String(clientId) });
      const rows = (await details).map(([, , e]) => [e.clientId, e.orderId, e.execId]);
      // Commission reports follow their execDetails; a round trip closes the window.
      c.ib.reqCurrentTime();
      return { rows, commissions: (await commissions).map(([report]) => report.execId) };
    }

    expect(await executions(b, 1)).toEqual({ rows: [[11, idA, execId]], commissions: [] });
    expect(await executions(b, 2, 11)).toEqual({ rows: [[11, idA, execId]], commissions: [] });
    expect(await executions(b, 3, 12)).toEqual({ rows: [], commissions: [] });
    expect(await executions(a, 4, 11)).toEqual({ rows: [[11, idA, execId]], commissions: [execId] });
    const { c: master } = await client(90);
    expect(await executions(master, 5)).toEqual({ rows: [[11, idA, execId]], commissions: [execId] });
  });
});
