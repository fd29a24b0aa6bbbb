import { afterEach, describe, expect, it } from 'vitest';
import { EventName, TestClient, futures, order } from './harness.ts';
import { startSimulator } from '../support/simulator.ts';
import type { TwsSimulator } from '../../src/sim/index.ts';

describe('smoke', () => {
  let sim: TwsSimulator;
  let client: TestClient;
  afterEach(async () => {
    client?.disconnect();
    await sim?.close();
  });

  it('handshakes, answers currentTime and fills a market order', async () => {
    ({ sim } = await startSimulator());
    client = new TestClient(sim.address!.port);
    const orderId = await client.connect(7);
    expect(client.ib.serverVersion).toBe(193);
    const time = client.next(EventName.currentTime);
    client.ib.reqCurrentTime();
    expect((await time)[0]).toBeGreaterThan(1_600_000_000);
    const filled = client.next(EventName.orderStatus, (id: number, status: string) => id === orderId && status === 'Filled');
    client.ib.placeOrder(orderId, futures('ES'), order('BUY', 2, 'MKT', { orderRef: 'smoke-1' }));
    const [, , filledQty, remaining, avg] = await filled;
    expect(filledQty).toBe(2);
    expect(remaining).toBe(0);
    expect(avg).toBe(sim.price('ES') + 0.25);
    expect(sim.ledger.byOrderRef('smoke-1')).toHaveLength(1);
    expect(client.unexpectedErrors()).toEqual([]);
  });
});
