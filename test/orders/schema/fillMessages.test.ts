import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrderContext, OrderSpec } from '../../../src/machines/orders/orderTypes.ts';
import { createSilentLogger } from '../../../src/log/logger.ts';
import { FillAssembly, type FillAssemblyDeps } from '../../../src/orders/fillAssembly.ts';
import { publishFillsOutbox } from '../../../src/orders/fillsOutbox.ts';
import type { OrderStore, StoredOrder } from '../../../src/orders/orderStore.ts';
import { commissionJobSchema, fillJobSchema } from '../../../src/orders/schema/fillMessages.ts';
import { REDIS_URL } from '../../support/redisUrl.ts';
import { waitUntil } from '../../support/waitUntil.ts';

// The fills queue's schemas describe what the real publishers put on the queue: they are run here
// against real Redis, and every job they leave must pass its schema (strict: no field unlisted).

let redis: Redis;
let prefix: string;
let fills: Queue;

beforeEach(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  prefix = `test-fillschema-${Math.random().toString(36).slice(2)}`;
  fills = new Queue('fills', { connection: redis, prefix });
});
afterEach(async () => {
  await fills.obliterate({ force: true });
  await fills.close();
  redis.disconnect();
});

const spec: OrderSpec = { clientOrderId: 'carry.ES.1', account: 'DU1234567', symbol: 'ES', expiry: '202406', side: 'BUY', quantity: 3, orderType: 'MKT', timeInForce: 'DAY' };
const slice: OrderSpec = { ...spec, clientOrderId: 'twap-1:t1', parentId: 'twap-1' };

/** Only what FillAssembly and the outbox read of an order's context. */
function context(order: OrderSpec, fills: OrderContext['fills']): OrderContext {
  const filledQuantity = fills.reduce((n, f) => n + f.quantity, 0);
  return { order, filledQuantity, fills, averagePrice: fills[0]?.price ?? null, commission: 0 } as Partial<OrderContext> as OrderContext;
}

function storeOf(orders: Record<string, StoredOrder>): OrderStore {
  const store: Pick<OrderStore, 'load' | 'markPublished' | 'outboxOrderIds'> = {
    load: async (id) => orders[id] ?? null,
    markPublished: async () => {},
    outboxOrderIds: async () => Object.keys(orders),
  };
  return store as OrderStore;
}

const stored = (order: OrderSpec, ctx: OrderContext): StoredOrder => ({ spec: order, context: ctx, publishedQuantity: 0 }) as Partial<StoredOrder> as StoredOrder;

async function jobsOnQueue() {
  const jobs = await fills.getJobs(['waiting']);
  return jobs.map((job) => ({ name: job.name, data: job.data as unknown }));
}

function expectSchemaFits(job: { name: string; data: unknown }) {
  const schema = job.name === 'fill' ? fillJobSchema : job.name === 'commission' ? commissionJobSchema : undefined;
  expect(schema, `unexpected job name ${job.name}`).toBeDefined();
  const parsed = schema!.safeParse(job.data);
  expect(parsed.success ? [] : parsed.error.issues, `${job.name} job ${JSON.stringify(job.data)}`).toEqual([]);
}

describe('jobs on the fills queue', () => {
  it('a fill and a late commission from FillAssembly fit fill-job and commission-job', async () => {
    const router: { onCommission?: unknown; onLateCommission?: (clientOrderId: string, execId: string, commission: number) => void } = {};
    const positions = { monthOf: () => '202406', applyExecution: () => {}, updateWorking: () => {}, release: () => {} };
    const assembly = new FillAssembly({
      connection: redis,
      prefix,
      store: storeOf({ 'twap-1:t1': stored(slice, context(slice, [])) }),
      positions,
      router,
      bus: { publish: () => {} },
      logger: createSilentLogger(),
      commissionWaitMs: 0,
    } as unknown as FillAssemblyDeps);
    assembly.transitioned('carry.ES.1', context(spec, [{ execId: 'e1', quantity: 2, price: 5210.25 }]), false);
    router.onLateCommission!('twap-1:t1', 'e9', 1.18);
    await waitUntil(async () => (await jobsOnQueue()).length === 2, 'a fill and a commission on the queue');
    await assembly.stop();
    const jobs = await jobsOnQueue();
    expect(jobs.map((j) => j.name).sort()).toEqual(['commission', 'fill']);
    expect(jobs.find((j) => j.name === 'commission')!.data).toMatchObject({ clientOrderId: 'twap-1:t1', parentClientOrderId: 'twap-1', execId: 'e9' });
    for (const job of jobs) expectSchemaFits(job);
  });

  it('a fill republished from the outbox after a crash fits fill-job', async () => {
    const ctx = context(spec, [{ execId: 'e1', quantity: 1, price: 101.5, commission: 2.1 }, { execId: 'e2', quantity: 2, price: 101.75 }]);
    expect(await publishFillsOutbox(storeOf({ 'carry.ES.1': stored(spec, ctx) }), fills)).toBe(1);
    const jobs = await jobsOnQueue();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toMatchObject({ republished: true });
    expectSchemaFits(jobs[0]!);
  });
});
