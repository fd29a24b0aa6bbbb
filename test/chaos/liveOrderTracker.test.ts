import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveOrderTracker } from '../../chaos/_liveOrders.ts';
import type { TwsSimulator } from '../../src/sim/index.ts';
import { EventName, futures, order, TestClient } from '../sim/harness.ts';
import { startSimulator } from '../support/simulator.ts';

const ES = futures('ES', { lastTradeDateOrContractMonth: '202703' });

describe('LiveOrderTracker (the simulator book, watched through observeOrders, clients over TCP)', () => {
  let sim: TwsSimulator;
  let tracker: LiveOrderTracker;
  let clients: TestClient[];

  beforeEach(async () => {
    const started = await startSimulator({ pacing: { enabled: false } });
    sim = started.sim;
    sim.setPrice('ES', 5000);
    tracker = new LiveOrderTracker(sim);
    clients = [new TestClient(started.port), new TestClient(started.port)];
  });

  afterEach(async () => {
    tracker.stop();
    for (const client of clients) client.disconnect();
    await sim.close();
  });

  /** Places an order and waits until the broker has confirmed it (openOrder for that id). */
  async function place(client: TestClient, id: number, type: 'MKT' | 'LMT', orderRef: string, lmtPrice?: number): Promise<void> {
    const confirmed = client.next(EventName.openOrder, (orderId: number) => orderId === id);
    client.ib.placeOrder(id, ES, order('BUY', 1, type, { orderRef, ...(lmtPrice !== undefined ? { lmtPrice } : {}) }));
    await confirmed;
  }

  it('flags a second live order under the same orderRef, naming both broker orders', async () => {
    const first = await clients[0]!.connect(11);
    await place(clients[0]!, first, 'LMT', 'carry.1', 4_900);
    expect(tracker.isLive('carry.1')).toBe(true);
    await place(clients[0]!, first + 1, 'LMT', 'carry.1', 4_901);
    expect(tracker.violations).toEqual([{ orderRef: 'carry.1', brokerOrders: [`11/${first}`, `11/${first + 1}`], at: expect.any(Number) }]);
  });

  it('flags it across client ids too', async () => {
    const a = await clients[0]!.connect(11);
    const b = await clients[1]!.connect(12);
    await place(clients[0]!, a, 'LMT', 'carry.2', 4_900);
    await place(clients[1]!, b, 'LMT', 'carry.2', 4_900);
    expect(tracker.violations.map((v) => v.brokerOrders)).toEqual([[`11/${a}`, `12/${b}`]]);
  });

  it('takes a modify (the same broker order id again) for the same order', async () => {
    const id = await clients[0]!.connect(11);
    await place(clients[0]!, id, 'LMT', 'carry.3', 4_900);
    await place(clients[0]!, id, 'LMT', 'carry.3', 4_950);
    expect(tracker.violations).toEqual([]);
    expect(tracker.isLive('carry.3')).toBe(true);
  });

  it('allows a new order once the previous one is cancelled or filled', async () => {
    const id = await clients[0]!.connect(11);
    await place(clients[0]!, id, 'LMT', 'carry.4', 4_900);
    const since = tracker.liveSince('carry.4');
    const cancelled = clients[0]!.next(EventName.orderStatus, (orderId: number, status: string) => orderId === id && status === 'Cancelled');
    clients[0]!.ib.cancelOrder(id);
    await cancelled;
    expect(tracker.isLive('carry.4')).toBe(false);
    await place(clients[0]!, id + 1, 'MKT', 'carry.4');
    await place(clients[0]!, id + 2, 'MKT', 'carry.4');
    expect(tracker.violations).toEqual([]);
    expect(tracker.isLive('carry.4')).toBe(false);
    expect(tracker.liveSince('carry.4')).toBe(since);
    expect(tracker.liveSince('never-sent')).toBeUndefined();
  });
});
