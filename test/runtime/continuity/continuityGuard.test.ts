import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditKeys, OrderAuditTrail } from '../../../src/audit/index.ts';
import { IbSession } from '../../../src/ib/session/ibSession.ts';
import { OrderIdAllocator } from '../../../src/ib/session/orderIdAllocator.ts';
import { namespaceKeys } from '../../../src/redis/namespaceKeys.ts';
import { IntakeHalt } from '../../../src/orders/intakeHalt.ts';
import { OrderStore } from '../../../src/orders/orderStore.ts';
import { ContinuityGuard } from '../../../src/runtime/continuity/continuityGuard.ts';
import { orphanOrderRefs } from '../../../src/runtime/continuity/orphanOrders.ts';
import { StateLossResponse } from '../../../src/runtime/continuity/stateLossResponse.ts';
import { createMemoryLogger, type LogEntry } from '../../admin/memoryLogger.ts';
import { orderWorld, waitForState, type Cleanup } from '../../orders/orderWorld.ts';
import { waitUntil } from '../../support/waitUntil.ts';
import { startVolatileRedis, type VolatileRedis } from './volatileRedis.ts';

let redis: VolatileRedis;
/** The private Redis is the test's own; the keys are a runtime's in the default namespace. */
const keys = namespaceKeys();
const cleanups: Cleanup[] = [];
beforeEach(async () => {
  redis = await startVolatileRedis();
  cleanups.push(() => redis.stop());
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A guard over the private Redis, checked by hand (its own timer is too slow to matter). */
function guardOver(session: IbSession, options: { orphans?: () => Promise<string[]> } = {}) {
  const { logger, entries } = createMemoryLogger();
  const halt = new IntakeHalt();
  const trail = new OrderAuditTrail(redis.admin, { key: keys.auditStream() });
  const response = new StateLossResponse({ logger, halt, trail, sessions: new Map([['ib', session]]) });
  const guard = new ContinuityGuard({
    redis: redis.admin,
    logger,
    where: { epochKey: keys.continuityEpoch, audit: auditKeys(keys.auditStream()), orderIdMarkKeys: new Map([['ib', session.orderIds.key]]) },
    knownMarks: () => ({ ib: session.orderIds.knownMark }),
    stateFile: null,
    response,
    intervalMs: 60_000,
    ...(options.orphans ? { orphansOnFreshStore: options.orphans } : {}),
  });
  cleanups.push(() => guard.stop());
  const lostLines = () => entries.filter((entry: LogEntry) => entry.message === 'redis state lost');
  return { guard, halt, trail, lostLines };
}

const offlineSession = () => new IbSession({ ratePerSecond: 45, burst: 5, paced: true, requestTimeoutMs: 1_000, orderIds: new OrderIdAllocator(redis.admin, keys.ibOrderIdHighWater('ib'), 10) });
const received = (clientOrderId: string) => ({ kind: 'received', clientOrderId, account: 'DU1234567', actor: 'orders' }) as const;

describe('the continuity guard', () => {
  it('Redis restored from an older copy (same epoch): the lower mark and the lost tail of the trail are found, and the gap is exactly the seqs that are gone', async () => {
    const session = offlineSession();
    const { guard, halt, trail, lostLines } = guardOver(session);
    await guard.start();
    for (const id of ['a', 'b', 'c']) await trail.append(received(id));
    for (let i = 0; i < 5; i += 1) await session.orderIds.allocate();
    const keys = [trail.keys.stream, trail.keys.meta, session.orderIds.key];
    const olderCopy = await Promise.all(keys.map((key) => redis.admin.dumpBuffer(key)));
    for (const id of ['d', 'e']) await trail.append(received(id));
    for (let i = 0; i < 10; i += 1) await session.orderIds.allocate();
    await guard.check();
    expect(guard.anchors.auditHead?.seq).toBe(5);
    const markBefore = guard.anchors.orderIdMarks.ib!;

    // The older copy comes back: the epoch is the same, everything after the copy is gone.
    for (const [index, key] of keys.entries()) await redis.admin.restore(key, 0, olderCopy[index]!, 'REPLACE');
    await guard.check();
    expect(lostLines()).toHaveLength(1);
    expect(lostLines()[0]).toMatchObject({ lost: ['order-id mark', 'audit head'], auditGap: { fromSeq: 4, toSeq: 5 } });
    expect(halt.reason).toMatch(/Redis lost its state \(order-id mark, audit head\)/);
    expect(Number(await redis.admin.get(session.orderIds.key))).toBeGreaterThanOrEqual(markBefore);
    expect(await session.orderIds.allocate()).toBeGreaterThanOrEqual(markBefore);
    const report = await trail.verify();
    expect(report.findings.map((found) => found.message).join('\n')).toMatch(/seqs 4\.\.5 of the trail as it was .* are gone; the chain restarted after seq 3/);

    // Put back and checked again: one loss, one line.
    await guard.check();
    await guard.check();
    expect(lostLines()).toHaveLength(1);
  });

  it('a first start on an empty store, while the broker has orders the store never saw: taken as a loss', async () => {
    const world = await orderWorld(cleanups);
    const { service } = await world.startService();
    await world.queue.add('order', { clientOrderId: 'seen-elsewhere', account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'MKT', strategy: 'continuity' });
    expect(await waitForState(service, 'seen-elsewhere', ['filled'])).toBe('filled');

    // This store (the private Redis) has never seen that order.
    const store = new OrderStore(redis.admin, keys.ordersPrefix);
    const { guard, halt, lostLines } = guardOver(world.conn.session, { orphans: () => orphanOrderRefs(world.conn.session, async (ref) => (await store.load(ref)) !== null) });
    await guard.start();
    await waitUntil(() => lostLines().length === 1, 'the loss to be declared', 10_000);
    expect(lostLines()[0]).toMatchObject({ lost: ['epoch'], details: [expect.stringContaining('orderRefs seen-elsewhere')], previousEpoch: null });
    expect(halt.reason).toMatch(/Redis lost its state \(epoch\)/);
  });

  it('a first start on an empty store, with a broker that knows nothing unknown: no loss', async () => {
    const world = await orderWorld(cleanups);
    const store = new OrderStore(redis.admin, keys.ordersPrefix);
    let asked = false;
    const { guard, halt, lostLines } = guardOver(world.conn.session, {
      orphans: async () => {
        const orphans = await orphanOrderRefs(world.conn.session, async (ref) => (await store.load(ref)) !== null);
        asked = true;
        return orphans;
      },
    });
    await guard.start();
    await waitUntil(() => asked, 'the broker to be asked', 10_000);
    await guard.check();
    expect(lostLines()).toHaveLength(0);
    expect(halt.reason).toBeNull();
    expect(guard.anchors.epoch).toBe(await redis.admin.get(keys.continuityEpoch));
  });

  it('order ids reserved while a check reads the store are no loss (the marks it expects are taken before it reads)', async () => {
    const session = offlineSession();
    const { guard, halt, lostLines } = guardOver(session);
    await guard.start();
    // Blocks of 10: every tenth allocation reserves a new mark; each round reserves one a few
    // microtasks into a check, so some land while it reads the store.
    for (let round = 0; round < 300; round += 1) {
      const checking = guard.check();
      for (let tick = 0; tick < round % 30; tick += 1) await Promise.resolve();
      await Promise.all([checking, ...Array.from({ length: 10 }, () => session.orderIds.allocate())]);
    }
    expect(lostLines()).toEqual([]);
    expect(halt.reason).toBeNull();
  });
});
