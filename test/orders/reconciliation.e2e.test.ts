import { EventName, IBApi, OrderAction, OrderType, SecType } from '@stoqey/ib';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/log/logger';
import { OrderService, ORDERS_SUPERVISOR_ID } from '../../src/orders/orderService';
import { createSupervisionServices } from '../../src/supervision/services';
import { SupervisionTree } from '../../src/supervision/supervisionTree';
import { supervisor } from '../../src/supervision/supervisorLogic';
import { REDIS_URL, connect, healthOf, startSim, waitUntil } from '../ib/ibConnectionHarness';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const until = async (check: () => Promise<boolean>, what: string) => {
  for (let i = 0; i < 250; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('reconciliation with the broker (simulator, real Redis)', () => {
  it('a fill nobody here owns is a break: the instrument is locked until the break is cleared', async () => {
    const { sim, gateway } = await startSim();
    cleanups.push(() => sim.close());
    const conn = connect([gateway]);
    cleanups.push(() => conn.close());
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 5_000, 'ib connected');

    // Someone else (another client of the same account) trades ES.
    const foreign = new IBApi({ host: gateway.host, port: gateway.port });
    const ready = new Promise<number>((resolve) => foreign.once(EventName.nextValidId, resolve));
    foreign.connect(50);
    const id = await ready;
    const filled = new Promise((resolve) => foreign.on(EventName.execDetails, resolve));
    foreign.placeOrder(id, { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD' }, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1, orderRef: 'foreign-1', transmit: true });
    await filled;
    foreign.disconnect();

    const redis = new Redis(REDIS_URL);
    const prefix = `test-recon-${Math.random().toString(36).slice(2)}`;
    cleanups.push(async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });
    const tree = new SupervisionTree({
      root: { children: [supervisor(ORDERS_SUPERVISOR_ID, { intensity: 100, children: [] })] },
      services: createSupervisionServices({ logger: createSilentLogger() }),
    }).start();
    const service = new OrderService({ tree, session: conn.session, redis, redisUrl: REDIS_URL, logger: createSilentLogger(), prefix, storePrefix: `${prefix}:store`, auditKey: `${prefix}:audit` });
    await service.start();
    cleanups.push(async () => {
      await service.stop();
      tree.forceStop();
    });

    const report = await service.reconcile();
    expect(report.breaks + service.breaks.breaks.length).toBeGreaterThanOrEqual(1);
    expect([...service.breaks.lockedInstruments]).toEqual(['ES']);
    expect(service.status()).toMatchObject({ lockedInstruments: ['ES'] });

    const queue = new Queue('orders', { connection: redis, prefix });
    cleanups.push(() => queue.close());
    const order = (clientOrderId: string) => ({ clientOrderId, account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'MKT', strategy: 'recon' });
    await queue.add('o', order('while-locked'));
    await until(async () => (await service.store.load('while-locked'))?.state === 'rejected', 'rejected while locked');
    expect((await service.store.load('while-locked'))!.context!.rejectReason).toMatch(/locked by an open reconciliation break/);

    expect(await service.breaks.clear('ES')).toBe(true);
    await queue.add('o', order('after-clear'));
    await until(async () => (await service.store.load('after-clear'))?.state === 'filled', 'filled after the break is cleared');
  });
});
