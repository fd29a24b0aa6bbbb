import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../src/admin/buildAdminApp.ts';
import type { NodeRoleView, OrderReadsView } from '../../src/admin/runtimeView.ts';
import { OrderAuditTrail } from '../../src/audit/index.ts';
import type { OrderContext, OrderSpec } from '../../src/machines/orders/orderTypes.ts';
import { BrokerPositions } from '../../src/orders/brokerPositions.ts';
import type { BrokerSnapshot } from '../../src/ib/session/brokerSnapshot.ts';
import { FillStream } from '../../src/orders/fillStream.ts';
import { FillStreamReads } from '../../src/orders/fillStreamReads.ts';
import { OrderAdmission } from '../../src/orders/orderAdmission.ts';
import { decodeOrderCursor, encodeOrderCursor } from '../../src/orders/orderCursor.ts';
import { OrderQueries, type OrderListQuery } from '../../src/orders/orderQueries.ts';
import { compareReceipt, OrderStore } from '../../src/orders/orderStore.ts';
import { positionsView } from '../../src/orders/positionsView.ts';
import { newOrderJobId, QueuedOrders } from '../../src/orders/queuedOrders.ts';
import { newOrderSchema, ORDER_QUEUE_NAME, type NewOrderInput } from '../../src/orders/schema/index.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { FakeRuntimeView } from './fakeRuntimeView.ts';
import { createMemoryLogger } from './memoryLogger.ts';

const NAMESPACE = `test-queries-${randomBytes(4).toString('hex')}`;
let redis: Redis;
const queues: Queue[] = [];

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.close()));
  await deleteByPrefix(redis, NAMESPACE);
  redis.disconnect();
});

/** A prefix of its own per case: every case starts from an empty store, stream and queue. */
function world(name: string) {
  const ns = `${NAMESPACE}:${name}:${randomBytes(3).toString('hex')}`;
  const k = namespaceKeys(ns);
  const store = new OrderStore(redis, k.ordersPrefix);
  const fills = new FillStreamReads(redis, { key: k.fillStream, markerKey: k.fillStreamMarker });
  const stream = new FillStream(redis, { key: k.fillStream, markerKey: k.fillStreamMarker, maxLen: 10_000, dedupeWindowMs: 60_000, logger: createSilentLogger() });
  const ordersQueue = new Queue(ORDER_QUEUE_NAME, { connection: redis, prefix: k.bullPrefix });
  queues.push(ordersQueue);
  const trail = new OrderAuditTrail(redis, { key: k.auditStream() });
  const queries = (examineLimit?: number) =>
    new OrderQueries({ store, trail, fills, queued: new QueuedOrders(ordersQueue), ...(examineLimit !== undefined ? { examineLimit } : {}) });
  return { store, fills, stream, ordersQueue, trail, queries };
}

const spec = (clientOrderId: string, extra: Partial<OrderSpec> = {}): OrderSpec => ({
  clientOrderId,
  account: 'DU1234567',
  symbol: 'ES',
  expiry: '202703',
  side: 'BUY',
  quantity: 2,
  orderType: 'MKT',
  timeInForce: 'DAY',
  strategy: 'carry',
  ...extra,
});

/** What an order service would have stored for an order in `state` (the store's rewrite writes a whole record). */
function context(order: OrderSpec, extra: Partial<OrderContext> = {}): OrderContext {
  return { order, timing: { ackTimeoutMs: 1, cancelTimeoutMs: 1 }, sendAttempt: 1, filledQuantity: 0, averagePrice: null, ibOrderId: 7, commission: 0, execIds: [], fills: [], ...extra } as unknown as OrderContext;
}

const newOrder = (clientOrderId: string, extra: Partial<NewOrderInput> = {}): NewOrderInput => ({
  clientOrderId,
  account: 'DU1234567',
  instrument: { symbol: 'ES', expiry: '202703' },
  side: 'BUY',
  quantity: 1,
  orderType: 'MKT',
  strategy: 'carry',
  ...extra,
});

describe('GET /orders paging: any page size, any filter, concatenated pages are the filtered list', () => {
  const order = fc.record({
    receivedAt: fc.integer({ min: 1_000, max: 1_012 }),
    terminal: fc.boolean(),
    strategy: fc.constantFrom('carry', 'trend'),
    symbol: fc.constantFrom('ES', 'NQ'),
    slice: fc.boolean(),
  });
  const query = fc.record({
    state: fc.constantFrom('open', 'terminal', 'all') as fc.Arbitrary<OrderListQuery['state']>,
    since: fc.option(fc.integer({ min: 999, max: 1_013 }), { nil: null }),
    strategy: fc.option(fc.constantFrom('carry', 'trend'), { nil: undefined }),
    symbol: fc.option(fc.constantFrom('ES', 'NQ'), { nil: undefined }),
  });

  it('no order twice, none missing, newest first; nextCursor null only at the end', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,3}$/), order), { selector: ([id]) => id, maxLength: 25 }),
        query,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 9 }),
        async (orders, filter, limit, examineLimit) => {
          const w = world('paging');
          for (const [id, o] of orders) {
            const s = spec(o.slice ? `p:${id}` : id, { symbol: o.symbol, strategy: o.strategy, ...(o.slice ? { parentId: 'p' } : {}) });
            await w.store.rewrite(s, o.terminal ? 'filled' : 'working', context(s), o.receivedAt);
          }
          const expected = orders
            .map(([id, o]) => ({ clientOrderId: o.slice ? `p:${id}` : id, ...o }))
            .filter((o) => !o.slice && (filter.since === null || o.receivedAt >= filter.since))
            .filter((o) => (filter.strategy === undefined || o.strategy === filter.strategy) && (filter.symbol === undefined || o.symbol === filter.symbol))
            .filter((o) => filter.state === 'all' || o.terminal === (filter.state === 'terminal'))
            .sort(compareReceipt)
            .map((o) => o.clientOrderId);

          const queries = w.queries(examineLimit);
          const seen: string[] = [];
          let after = null;
          for (let page = 0; ; page += 1) {
            expect(page).toBeLessThanOrEqual(orders.length + 1);
            const result = await queries.list({ state: filter.state, sinceMs: filter.since, ...(filter.strategy ? { strategy: filter.strategy } : {}), ...(filter.symbol ? { symbol: filter.symbol } : {}), limit, after });
            expect(result.orders.length).toBeLessThanOrEqual(limit);
            seen.push(...result.orders.map((o) => o.clientOrderId));
            if (result.nextCursor === null) break;
            after = decodeOrderCursor(result.nextCursor);
            expect(after).not.toBeNull();
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the order cursor', () => {
  it('round-trips every position, child ids included, and refuses what it did not make', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 52 }), fc.stringMatching(/^[A-Za-z0-9._-]{1,30}(:t\d{1,3})?$/), (receivedAt, clientOrderId) => {
        expect(decodeOrderCursor(encodeOrderCursor({ receivedAt, clientOrderId }))).toEqual({ receivedAt, clientOrderId });
      }),
    );
    for (const junk of ['', 'abc', '!!!', Buffer.from('12:').toString('base64url'), Buffer.from('x:a').toString('base64url'), Buffer.from('1:a b').toString('base64url')]) {
      expect(decodeOrderCursor(junk)).toBeNull();
    }
  });
});

describe('one order: its executions with time and commission, and a queued one', () => {
  it('takes each execution from the order, filling in time and commission from the fills stream', async () => {
    const w = world('detail');
    const s = spec('d-1');
    const fills = [
      { execId: 'e1', quantity: 1, price: 100, time: '2026-12-07T15:00:00.000Z' },
      // Stored before fills kept a time: the stream's is used.
      { execId: 'e2', quantity: 1, price: 101 },
    ];
    await w.store.rewrite(s, 'filled', context(s, { filledQuantity: 2, averagePrice: 100.5, fills, execIds: ['e1', 'e2'], commission: 0 }), Date.parse('2026-12-07T14:59:59Z'));
    const order = { clientOrderId: 'd-1', account: 'DU1234567', symbol: 'ES', contractMonth: '202703', side: 'BUY' as const };
    await w.stream.appendExecutions([
      { ...order, execId: 'e1', price: 100, quantity: 1, time: '2026-12-07T15:00:00.000Z' },
      { ...order, execId: 'e2', price: 101, quantity: 1, time: '2026-12-07T15:00:01.000Z', commission: 1.25 },
    ]);
    await w.stream.appendCommission({ execId: 'e1', clientOrderId: 'd-1', commission: 2.5, time: '2026-12-07T15:00:02.000Z' });
    const detail = await w.queries().detail('d-1');
    expect(detail).toMatchObject({
      clientOrderId: 'd-1',
      state: 'filled',
      terminal: true,
      contractMonth: '202703',
      strategy: 'carry',
      filledQuantity: 2,
      averagePrice: 100.5,
      ibOrderId: 7,
      commission: 3.75,
      executions: [
        { execId: 'e1', price: 100, quantity: 1, time: '2026-12-07T15:00:00.000Z', commission: 2.5 },
        { execId: 'e2', price: 101, quantity: 1, time: '2026-12-07T15:00:01.000Z', commission: 1.25 },
      ],
      history: [],
      url: '/orders/d-1',
    });
  });

  it('an order stored before strategies were kept answers strategy null; an unknown id null', async () => {
    const w = world('legacy');
    const { strategy: _strategy, ...old } = spec('old-1');
    await w.store.rewrite(old, 'working', context(old), 5);
    expect((await w.queries().detail('old-1'))?.strategy).toBeNull();
    expect(await w.queries().detail('nobody')).toBeNull();
  });

  it('a new order still waiting on the queue is read from its job: state queued, nothing filled', async () => {
    const w = world('queued');
    await w.ordersQueue.add('x', newOrder('q-1', { quantity: 3, orderType: 'LMT', limitPrice: 99.5, instrument: { symbol: 'NQ' } }), { jobId: 'q-1', delay: 60_000 });
    expect(await w.queries().detail('q-1')).toMatchObject({
      clientOrderId: 'q-1',
      state: 'queued',
      terminal: false,
      symbol: 'NQ',
      contractMonth: null,
      quantity: 3,
      limitPrice: 99.5,
      timeInForce: 'DAY',
      filledQuantity: 0,
      executions: [],
      history: [],
    });
  });
});

describe('new orders from the API, each clientOrderId once', () => {
  let w: ReturnType<typeof world>;
  let admission: OrderAdmission;
  beforeEach(() => {
    w = world('admission');
    const queries = w.queries();
    admission = new OrderAdmission({ queue: w.ordersQueue, summary: (id) => queries.summary(id) });
  });
  const submit = (input: NewOrderInput) => admission.submitNew(newOrderSchema.parse(input), input, 40);

  it('of simultaneous submissions of one clientOrderId, exactly one is queued; the others get it as a duplicate', async () => {
    const outcomes = await Promise.all([newOrder('race-1', { quantity: 1 }), newOrder('race-1', { quantity: 2 }), newOrder('race-1', { quantity: 3 })].map(submit));
    const accepted = outcomes.filter((o) => o.accepted);
    expect(accepted).toEqual([{ accepted: true, jobId: 'race-1' }]);
    const queued = (await w.ordersQueue.getJob('race-1'))!.data as NewOrderInput;
    for (const outcome of outcomes.filter((o) => !o.accepted)) {
      expect(outcome).toMatchObject({ accepted: false, duplicate: { clientOrderId: 'race-1', state: 'queued', quantity: queued.quantity } });
    }
    expect(await w.ordersQueue.getJobCounts('delayed', 'prioritized', 'waiting')).toMatchObject({ prioritized: 1 });
  });

  it('a stored order is a duplicate with its stored state, whatever the new terms', async () => {
    const s = spec('stored-1');
    await w.store.rewrite(s, 'working', context(s), 10);
    expect(await submit(newOrder('stored-1', { side: 'SELL', quantity: 9 }))).toMatchObject({ accepted: false, duplicate: { state: 'working', side: 'BUY', quantity: 2 } });
    expect(await w.ordersQueue.getJob('stored-1')).toBeUndefined();
  });

  it('an all-digit clientOrderId (BullMQ refuses it as a job id) goes on as order@<id>, once', async () => {
    expect(newOrderJobId('12345')).toBe('order@12345');
    expect(newOrderJobId('0123')).toBe('0123');
    expect(await submit(newOrder('12345'))).toEqual({ accepted: true, jobId: 'order@12345' });
    expect(await submit(newOrder('12345'))).toMatchObject({ accepted: false, duplicate: { clientOrderId: '12345', state: 'queued' } });
  });
});

describe('GET /fills: every execution once, with its commission, whatever the page size', () => {
  it('pages of any size cover the stream; commission entries ride on their executions; nextCursor = last id or since', async () => {
    const w = world('fills');
    const base = { clientOrderId: 'f-1', account: 'DU1234567', symbol: 'ES', contractMonth: '202703', side: 'BUY' as const };
    const execIds = ['x1', 'x2', 'x3', 'x4', 'x5'];
    // A commission before its execution, one carried with it, late ones, and one never reported.
    await w.stream.appendCommission({ execId: 'x3', commission: 3, time: 't' });
    for (const [i, execId] of execIds.entries()) {
      await w.stream.appendExecutions([{ ...base, execId, price: 100 + i, quantity: 1, time: `2026-12-07T15:00:0${i}.000Z`, ...(execId === 'x2' ? { commission: 2 } : {}) }]);
      if (execId === 'x1') await w.stream.appendCommission({ execId: 'x1', commission: 1, time: 't' });
    }
    await w.stream.appendCommission({ execId: 'x4', commission: 4, time: 't' });
    const expected = { x1: 1, x2: 2, x3: 3, x4: 4, x5: null };

    expect(await w.fills.page(null, 100)).toMatchObject({ fills: execIds.map((execId) => ({ execId, commission: expected[execId as keyof typeof expected] })) });
    for (let limit = 1; limit <= 6; limit += 1) {
      const seen: string[] = [];
      let since: string | null = null;
      for (;;) {
        const page = await w.fills.page(since, limit);
        expect(page.fills.length).toBeLessThanOrEqual(limit);
        for (const fill of page.fills) expect(fill.commission).toBe(expected[fill.execId as keyof typeof expected]);
        seen.push(...page.fills.map((fill) => fill.execId));
        expect(page.nextCursor).toBe(page.fills.at(-1)?.id ?? since ?? '0-0');
        if (page.fills.length === 0) break;
        since = page.nextCursor;
      }
      expect(seen).toEqual(execIds);
    }
  });
});

describe('positions: the book next to the broker', () => {
  const book = [
    { account: 'DU1', symbol: 'ES', month: '202703', position: 2 },
    { account: 'DU1', symbol: 'CL', month: '202701', position: 0 },
    { account: 'DU1', symbol: 'NQ', month: '', position: -1 },
  ];
  const broken = { symbol: 'NQ', kind: 'position_mismatch' as const, detail: 'broker -2, expected -1', at: '2026-12-07T15:00:00.000Z' };

  it('pairs each account and month, leaves flat months out, and shows each symbol\'s open break', () => {
    const view = positionsView(book, { asOf: Date.parse('2026-12-07T15:00:05Z'), positions: [{ account: 'DU1', symbol: 'ES', month: '202703', position: 2 }, { account: 'DU1', symbol: 'NQ', month: '', position: -2 }] }, [broken], 0);
    expect(view).toEqual({
      asOf: '2026-12-07T15:00:05.000Z',
      positions: [
        { account: 'DU1', symbol: 'ES', contractMonth: '202703', broker: 2, internal: 2, difference: 0, break: null },
        { account: 'DU1', symbol: 'NQ', contractMonth: null, broker: -2, internal: -1, difference: -1, break: { reason: 'position_mismatch', since: '2026-12-07T15:00:00.000Z' } },
      ],
      breaks: [{ symbol: 'NQ', reason: 'position_mismatch', detail: 'broker -2, expected -1', since: '2026-12-07T15:00:00.000Z' }],
    });
  });

  it('before the broker answers: broker null, difference 0, as of now', () => {
    const view = positionsView(book, null, [], Date.parse('2026-12-07T16:00:00Z'));
    expect(view.asOf).toBe('2026-12-07T16:00:00.000Z');
    expect(view.positions.map((p) => [p.symbol, p.broker, p.difference])).toEqual([
      ['ES', null, 0],
      ['NQ', null, 0],
    ]);
  });

  it('asks the broker once for any number of readers, reuses a fresh answer, and keeps the last one when the broker is silent', async () => {
    let now = 1_000;
    const asked: ((snapshot: BrokerSnapshot) => void)[] = [];
    const broker = new BrokerPositions({
      snapshot: () => new Promise<BrokerSnapshot>((resolve) => asked.push(resolve)),
      monthOf: async (_symbol, expiry) => expiry?.slice(0, 6) ?? '',
      now: () => now,
      maxAgeMs: 500,
      waitMs: 50,
    });
    const readers = [broker.read(), broker.read()];
    await Promise.resolve();
    expect(asked).toHaveLength(1);
    asked[0]!({ positions: [{ account: 'DU1', symbol: 'ES', position: 3, lastTradeDateOrContractMonth: '20270319' }], executions: [], openOrders: [] });
    const answers = await Promise.all(readers);
    expect(answers).toEqual([{ asOf: 1_000, positions: [{ account: 'DU1', symbol: 'ES', month: '202703', position: 3 }] }, answers[0]]);
    now = 1_400;
    expect(await broker.read()).toBe(answers[0]);
    expect(asked).toHaveLength(1);
    // Stale, and the broker does not answer within waitMs: the last answer stands.
    now = 2_000;
    expect(await broker.read()).toBe(answers[0]);
    expect(asked).toHaveLength(2);
    // Still silent past the deadline: later readers do not wait again, nor ask again.
    now = 2_100;
    expect(await broker.read()).toBe(answers[0]);
    expect(asked).toHaveLength(2);
  });
});

describe('the read routes over a view', () => {
  const STANDBY: NodeRoleView = { role: 'standby', namespace: 'ns', nodeId: 'node-b', token: null, activeNodeId: 'node-a' };
  const reads: OrderReadsView = {
    listOrders: async () => ({ orders: [], nextCursor: null }),
    order: async () => null,
    fills: async (since) => ({ fills: [], nextCursor: since ?? '0-0' }),
  };
  const app = (role: NodeRoleView | null) => {
    const view = new FakeRuntimeView();
    Object.assign(view, { orderReads: reads, positions: async () => ({ asOf: '2026-12-07T15:00:00.000Z', positions: [], breaks: [] }), prices: () => ({ prices: [] }) });
    if (role) Object.assign(view, { nodeRole: () => role });
    return buildAdminApp({ view, logger: createMemoryLogger().logger });
  };

  it('reads follow the roles: beyond loopback each needs a token, the read token does, and it cannot order', async () => {
    const view = new FakeRuntimeView();
    Object.assign(view, { orderReads: reads, prices: () => ({ prices: [] }) });
    const exposed = buildAdminApp({ view, token: 'operator-token-0123', readToken: 'read-token-3210', host: '0.0.0.0', logger: createMemoryLogger().logger });
    const reader = { authorization: 'Bearer read-token-3210' };
    for (const path of ['/orders', '/orders/x-1', '/fills', '/prices']) {
      expect((await exposed.inject(path)).statusCode, path).toBe(401);
      expect((await exposed.inject({ url: path, headers: reader })).statusCode, path).not.toBe(401);
    }
    expect((await exposed.inject({ method: 'POST', url: '/orders', headers: reader, payload: newOrder('x-1') })).statusCode).toBe(403);
  });

  it('a standby reads orders and fills from Redis, and refuses positions and prices with 503 not_active naming the active node', async () => {
    const standby = app(STANDBY);
    expect((await standby.inject('/orders')).statusCode).toBe(200);
    expect((await standby.inject('/fills?since=5-0')).json()).toEqual({ fills: [], nextCursor: '5-0' });
    for (const path of ['/positions', '/prices']) {
      const response = await standby.inject(path);
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toMatchObject({ code: 'not_active', message: expect.stringContaining('node-a') });
    }
    const active = app(null);
    expect((await active.inject('/positions')).json()).toMatchObject({ positions: [], breaks: [] });
    expect((await active.inject('/prices')).json()).toEqual({ prices: [] });
  });

  it.each([
    ['/orders?limit=0', 'limit', 'must be a whole number from 1 to 500'],
    ['/orders?limit=501', 'limit', 'must be a whole number from 1 to 500'],
    ['/orders?state=closed', 'state', "must be 'open', 'terminal' or 'all'"],
    ['/orders?since=yesterday', 'since', 'must be an ISO-8601 time with a zone, e.g. 2026-12-07T15:00:00Z'],
    ['/orders?cursor=bm9wZQ', 'cursor', 'not a cursor this API gave: pass nextCursor as it came'],
    ['/orders?colour=red', 'colour', 'unknown field'],
    ['/fills?limit=1001', 'limit', 'must be a whole number from 1 to 1000'],
    ['/fills?since=abc', 'since', 'must be a fills stream id (<ms>-<n>), as nextCursor or a fill id gave it'],
  ])('%s answers 400 invalid_query naming %s', async (path, field, message) => {
    const response = await app(null).inject(path);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_query', fields: [{ field, message }] });
  });

  it('an unknown order answers 404 order_not_found; the OpenAPI document describes every read with its answer', async () => {
    const api = app(null);
    expect((await api.inject('/orders/nobody')).json()).toEqual({ error: { code: 'order_not_found', message: 'no order nobody is stored or queued in this namespace' } });
    const paths = (await api.inject('/openapi.json')).json().paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    for (const [path, method] of [
      ['/orders', 'get'],
      ['/orders', 'post'],
      ['/orders/{clientOrderId}', 'get'],
      ['/orders/{clientOrderId}/cancel', 'post'],
      ['/orders/{clientOrderId}/modify', 'post'],
      ['/fills', 'get'],
      ['/positions', 'get'],
      ['/prices', 'get'],
    ] as const) {
      expect(Object.keys(paths[path]?.[method]?.responses ?? {}), `${method} ${path}`).toContain(method === 'post' ? '202' : '200');
    }
  });
});
