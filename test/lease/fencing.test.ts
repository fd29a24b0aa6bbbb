import { Redis } from 'ioredis';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Fence, FencedError } from '../../src/lease/fence.ts';
import { OrderStore } from '../../src/orders/orderStore.ts';
import type { OrderContext, OrderSpec } from '../../src/machines/orders/orderTypes.ts';
import { connectedSim } from '../ib/ibConnectionHarness.ts';
import { useSharedRedis } from '../support/sharedRedis.ts';
import { waitUntil } from '../support/waitUntil.ts';

const shared = useSharedRedis('fencing');
const PREFIX = shared.prefix;
let redis: Redis;
beforeAll(() => {
  redis = shared.redis();
});

const spec = (clientOrderId: string): OrderSpec =>
  ({ clientOrderId, account: 'DU1', symbol: 'ES', expiry: '202703', side: 'BUY', quantity: 1, orderType: 'LMT', limitPrice: 100, timeInForce: 'DAY', strategy: 't' }) as unknown as OrderSpec;

describe('fencing: a node that lost the lease writes nothing durable', () => {
  it('refuses every order write carrying a token older than the newest issued, and tells the fence', async () => {
    const fenceKey = `${PREFIX}:fence`;
    const fence = new Fence(fenceKey);
    const heard: string[] = [];
    fence.onFenced((reason) => heard.push(reason));
    const store = new OrderStore(redis, `${PREFIX}:orders`, redis, fence);
    await redis.set(fenceKey, '5');
    fence.hold(5, performance.now() + 10_000);
    expect(await store.create(spec('f-1'), Date.now())).toBe(true);
    expect(await store.recordSendAttempt('f-1', 11, 0)).toEqual({ ok: true, attempt: 1 });

    // Another node took the lease: token 6.
    await redis.set(fenceKey, '6');
    const context = { order: spec('f-1'), filledQuantity: 0, ibOrderId: 11, sendAttempt: 1 } as unknown as OrderContext;
    await expect(store.save('f-1', 'working', context)).rejects.toBeInstanceOf(FencedError);
    await expect(store.recordSendAttempt('f-1', 12, 1)).rejects.toBeInstanceOf(FencedError);
    await expect(store.create(spec('f-2'), Date.now())).rejects.toBeInstanceOf(FencedError);
    await expect(store.rewrite(spec('f-1'), 'working', context, Date.now())).rejects.toBeInstanceOf(FencedError);
    expect(heard).toHaveLength(4);
    expect(heard[0]).toMatch(/FENCED token 5 superseded by 6/);
    // Nothing of it landed.
    const stored = await store.load('f-1');
    expect(stored).toMatchObject({ state: 'received', sendAttempt: 1 });
    expect(await store.load('f-2')).toBeNull();
  });

  it('lets the holder of the newest token write, whatever tokens came before (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 0, max: 1e6 }), async (newest, behind) => {
        run += 1;
        const fenceKey = `${PREFIX}:p${run}:fence`;
        await redis.set(fenceKey, String(newest));
        const fence = new Fence(fenceKey);
        fence.hold(newest - behind, performance.now() + 10_000);
        const store = new OrderStore(redis, `${PREFIX}:p${run}`, redis, fence);
        const wrote = await store.create(spec('p'), Date.now()).then(
          () => true,
          (error) => (error instanceof FencedError ? false : Promise.reject(error)),
        );
        expect(wrote).toBe(behind === 0);
      }),
      { numRuns: 30 },
    );
  });
});

describe('the send gate: orders and cancels leave only while the lease is held locally', () => {
  it('refuses from the local deadline on (a paused process wakes unable to send), on a simulated clock', () => {
    let now = 0;
    const fence = new Fence('k', () => now);
    expect(fence.sendRefusal()).toMatch(/does not hold the lease/);
    fence.hold(3, 2_700);
    now = 2_699;
    expect(fence.sendRefusal()).toBeNull();
    now = 2_700;
    expect(fence.sendRefusal()).toMatch(/token 3\) expired locally/);
    fence.extendUntil(5_400);
    expect(fence.sendRefusal()).toBeNull();
    fence.drop();
    expect(fence.sendRefusal()).toMatch(/does not hold the lease/);
    expect(Fence.none().sendRefusal()).toBeNull();
  });

  it('drops a refused placeOrder at the socket: the gateway never receives it; data requests still go', async () => {
    const cleanups: (() => unknown)[] = [];
    try {
      const { sim, conn } = await connectedSim(cleanups);
      const refused: string[] = [];
      conn.session.onSendRefused((reason) => refused.push(reason));
      let refusal: string | null = 'this node does not hold the lease';
      conn.session.gateOrderMessages(() => refusal);
      const contract = { symbol: 'ES', secType: 'FUT', exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202703' };
      const order = { action: 'BUY', totalQuantity: 1, orderType: 'LMT', lmtPrice: 100, orderRef: 'gate-1', tif: 'DAY', transmit: true };
      let dropped = 0;
      conn.session.enqueueOrderMessage('order', (api) => api.placeOrder(9_001, contract as never, order as never), () => (dropped += 1));
      conn.session.enqueueOrderMessage('cancel', (api) => api.cancelOrder(9_001));
      await waitUntil(() => refused.length === 2, 'both messages refused', 2_000);
      expect(dropped).toBe(1);
      expect(sim.ledger.messages({ orderRef: 'gate-1' })).toHaveLength(0);
      // Not an order message: it still goes while the gate refuses.
      let answered = false;
      conn.session.enqueue('data', (api) => api.reqCurrentTime());
      conn.session.client?.once('currentTime' as never, () => (answered = true));
      await waitUntil(() => answered, 'a data request to go while orders are refused', 2_000);
      refusal = null;
      conn.session.enqueueOrderMessage('order', (api) => api.placeOrder(9_002, contract as never, { ...order, orderRef: 'gate-2' } as never));
      await waitUntil(() => sim.ledger.messages({ orderRef: 'gate-2' }).length === 1, 'the allowed order to arrive', 2_000);
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup();
    }
  });
});
