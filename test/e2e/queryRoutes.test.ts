import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { ORDER_QUEUE_NAME } from '../../src/orders/schema/index.ts';
import type { TwsSimulator } from '../../src/sim/index.ts';
import { startSim } from '../ib/ibConnectionHarness.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';
import { waitFor, waitUntil } from '../support/waitUntil.ts';

// A namespace of its own on the shared Redis; one simulator for both nodes (broker mode ib), so a
// second node can stand by and answer the reads Redis holds.
const NAMESPACE = `q16-reads-${randomBytes(3).toString('hex')}`;
const TOKEN = 'query-routes-operator-token';
const ACCOUNT = 'DU1234567';
let sim: TwsSimulator;
let active: MainProcess;
let standby: MainProcess;
let redis: Redis;
let queue: Queue;

function nodeConfig(nodeId: string, gateway: { host: string; port: number }) {
  return loadConfig({
    env: SIM_CLOCK_ENV,
    overrides: {
      namespace: NAMESPACE,
      lease: { ttlMs: 600, renewMs: 200, nodeId },
      redis: { url: REDIS_URL, allowVolatile: true, stateFile: false },
      admin: { port: 0, token: TOKEN },
      broker: { mode: 'ib', ib: { host: gateway.host, port: gateway.port, clientId: 11, extraClientIds: [12] } },
      orders: { demo: { enabled: false } },
    },
  });
}

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  await deleteByPrefix(redis, `${NAMESPACE}:`);
  queue = new Queue(ORDER_QUEUE_NAME, { connection: redis, prefix: namespaceKeys(NAMESPACE).bullPrefix });
  const started = await startSim(0, { tickIntervalMs: 50 });
  sim = started.sim;
  active = await startMainProcess(nodeConfig('reads-a', started.gateway), createSilentLogger(), { capabilities: ['broker', 'marketData', 'orders'] });
  standby = await startMainProcess(nodeConfig('reads-b', started.gateway), createSilentLogger(), { capabilities: ['broker', 'marketData', 'orders'], waitForActive: false });
  await waitUntil(() => standby.role().activeNodeId === 'reads-a', 'the standby to see the active node', 5_000);
  await active.orders!.service.whenTakingJobs();
}, 30_000);
afterAll(async () => {
  await standby?.stop();
  await active?.stop();
  await sim?.close();
  await queue?.close();
  await deleteByPrefix(redis, `${NAMESPACE}:`);
  redis?.disconnect();
});

type Json = Record<string, any>;
const post = (node: MainProcess, path: string, body?: unknown) =>
  fetch(`${node.admin.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const get = async (node: MainProcess, path: string): Promise<{ status: number; body: Json }> => {
  const response = await fetch(`${node.admin.url}${path}`);
  return { status: response.status, body: (await response.json()) as Json };
};
const order = (clientOrderId: string, extra: Json = {}) => ({
  clientOrderId,
  account: ACCOUNT,
  instrument: { symbol: 'ES', expiry: '202703' },
  side: 'BUY',
  quantity: 2,
  orderType: 'MKT',
  strategy: 'carry',
  ...extra,
});
/** The order once it is filled and every execution's commission is known. */
const settled = (clientOrderId: string) =>
  waitFor(
    async () => {
      const { body } = await get(active, `/orders/${clientOrderId}`);
      return body.state === 'filled' && body.executions.every((e: Json) => e.commission !== null) ? body : undefined;
    },
    `${clientOrderId} filled with its commissions`,
    10_000,
  );

describe('orders through the API: submitted, filled, read back with executions and history', () => {
  it('a new order answers 202 with Location; once filled, GET /orders/{id} shows executions with price, time and commission, and the audit trail', async () => {
    const submitted = await post(active, '/orders', order('r-1', { quantity: 3 }));
    expect(submitted.status).toBe(202);
    expect(submitted.headers.get('location')).toBe('/orders/r-1');
    expect(await submitted.json()).toEqual({ accepted: true, clientOrderId: 'r-1', jobId: 'r-1', url: '/orders/r-1' });

    const detail = await settled('r-1');
    expect(detail).toMatchObject({ clientOrderId: 'r-1', state: 'filled', terminal: true, account: ACCOUNT, symbol: 'ES', contractMonth: '202703', quantity: 3, strategy: 'carry', filledQuantity: 3 });
    expect(detail.ibOrderId).toEqual(expect.any(Number));
    expect(detail.executions.reduce((n: number, e: Json) => n + e.quantity, 0)).toBe(3);
    for (const execution of detail.executions) {
      expect(execution).toEqual({ execId: expect.any(String), price: expect.any(Number), quantity: expect.any(Number), time: expect.any(String), commission: expect.any(Number) });
      expect(Date.parse(execution.time)).toBeGreaterThanOrEqual(Date.parse(detail.receivedAt));
    }
    expect(detail.commission).toBeCloseTo(detail.executions.reduce((n: number, e: Json) => n + e.commission, 0));
    const kinds = detail.history.map((entry: Json) => entry.kind);
    expect(kinds.slice(0, 2)).toEqual(['received', 'sent']);
    expect(kinds.at(-1)).toBe('filled');
    expect(detail.history[0]).toMatchObject({ at: expect.any(String), actor: 'orders', jobId: 'r-1', payload: order('r-1', { quantity: 3 }) });

    // The standby reads the same from Redis.
    expect((await get(standby, '/orders/r-1')).body).toEqual((await get(active, '/orders/r-1')).body);
  });

  it('the same clientOrderId again answers 409 duplicate_order with the order, same terms or not, from either node; nothing is queued', async () => {
    const before = await queue.getJobCounts();
    for (const [node, body] of [
      [active, order('r-1', { quantity: 3 })],
      [standby, order('r-1', { side: 'SELL', quantity: 1 })],
    ] as const) {
      const response = await post(node, '/orders', body);
      expect(response.status).toBe(409);
      const answer = (await response.json()) as Json;
      expect(answer.error).toMatchObject({ code: 'duplicate_order', message: expect.stringContaining('r-1') });
      expect(answer.order).toMatchObject({ clientOrderId: 'r-1', state: 'filled', side: 'BUY', quantity: 3, url: '/orders/r-1' });
    }
    expect(await queue.getJobCounts()).toEqual(before);
  });

  it('a new order still waiting on the queue is known: 409 with state queued, readable, and cancellable', async () => {
    // Delayed, so no order service takes it while the test looks.
    await queue.add('producer', order('r-wait'), { jobId: 'r-wait', delay: 3_600_000, priority: 40 });
    const response = await post(standby, '/orders', order('r-wait', { quantity: 1 }));
    expect(response.status).toBe(409);
    expect(((await response.json()) as Json).order).toMatchObject({ clientOrderId: 'r-wait', state: 'queued', terminal: false, quantity: 2, filledQuantity: 0 });
    expect((await get(active, '/orders/r-wait')).body).toMatchObject({ state: 'queued', executions: [], history: [] });
    expect((await post(active, '/orders/r-wait/cancel')).status).toBe(202);
    await (await queue.getJob('r-wait'))?.remove();
  });

  it.each([
    [order('r-bad', { orderType: 'LMT' }), [{ field: 'limitPrice', message: 'required for orderType LMT' }]],
    [order('r-bad', { instrument: { symbol: 'ES', expiry: '2027' } }), [{ field: 'instrument.expiry', message: 'must be YYYYMM or YYYYMMDD' }]],
    [order('r-bad', { colour: 'red' }), [{ field: 'colour', message: 'unknown field' }]],
    [{ ...order('r-bad'), strategy: undefined }, [{ field: 'strategy', message: 'required' }]],
  ])('a bad order answers 400 invalid_order naming each field: %j', async (body, fields) => {
    const response = await post(active, '/orders', body);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as Json;
    expect(error).toMatchObject({ code: 'invalid_order', fields });
    expect(error.message).toBe(fields.map((f) => `${f.field}: ${f.message}`).join('; '));
  });

  it('cancel or modify of an unknown clientOrderId answers 404 order_not_found and queues nothing; a bad modify 400 naming the field', async () => {
    const before = await queue.getJobCounts();
    for (const [path, body] of [
      ['/orders/nobody/cancel', undefined],
      ['/orders/nobody/modify', { limitPrice: 5 }],
    ] as const) {
      const response = await post(active, path, body);
      expect(response.status).toBe(404);
      expect(((await response.json()) as Json).error.code).toBe('order_not_found');
    }
    expect(await queue.getJobCounts()).toEqual(before);
    const bad = await post(active, '/orders/r-1/modify', { limitPrice: 'abc' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).error.fields).toEqual([{ field: 'limitPrice', message: 'expected number, got "abc"' }]);
    const badPath = await post(active, '/orders/a:b/cancel');
    expect(badPath.status).toBe(400);
    expect(((await badPath.json()) as Json).error.fields).toEqual([{ field: 'clientOrderId', message: expect.stringContaining('may only contain') }]);
  });
});

describe('positions, fills and prices after fills', () => {
  let executions: string[];
  beforeAll(async () => {
    for (const [id, extra] of [
      ['r-2', { quantity: 1, strategy: 'trend' }],
      ['r-3', { quantity: 2, side: 'SELL' }],
      ['r-4', { quantity: 4, instrument: { symbol: 'NQ', expiry: '202703' } }],
    ] as const) {
      expect((await post(active, '/orders', order(id, extra))).status).toBe(202);
    }
    const details = await Promise.all(['r-1', 'r-2', 'r-3', 'r-4'].map(settled));
    executions = details.flatMap((d) => d.executions.map((e: Json) => e.execId));
  });

  it('GET /positions: broker and book agree per account and month after the fills, no break; a standby answers 503 not_active', async () => {
    const positions = await waitFor(
      async () => {
        const { body } = await get(active, '/positions');
        return body.positions.every((p: Json) => p.broker === p.internal) ? body : undefined;
      },
      'the broker to report the fills',
      10_000,
    );
    const mine = positions.positions.filter((p: Json) => p.account === ACCOUNT);
    expect(mine).toEqual([
      { account: ACCOUNT, symbol: 'ES', contractMonth: '202703', broker: 2, internal: 2, difference: 0, break: null, limit: 500, reportableLevel: 1000, reportable: false },
      { account: ACCOUNT, symbol: 'NQ', contractMonth: '202703', broker: 4, internal: 4, difference: 0, break: null, limit: 500, reportableLevel: 200, reportable: false },
    ]);
    expect(positions.breaks).toEqual([]);
    const refused = await get(standby, '/positions');
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'not_active', message: expect.stringContaining('reads-a') });
  });

  it('GET /fills pages of any size, on either node, give every execution exactly once with its commission', async () => {
    const all = await get(standby, '/fills?limit=1000');
    expect(all.body.fills.map((f: Json) => f.execId).sort()).toEqual([...executions].sort());
    for (const fill of all.body.fills) expect(fill).toMatchObject({ id: expect.stringMatching(/^\d+-\d+$/), account: ACCOUNT, contractMonth: '202703', commission: expect.any(Number), time: expect.any(String) });
    expect(all.body.nextCursor).toBe(all.body.fills.at(-1).id);
    for (const [node, limit] of [
      [active, 1],
      [standby, 2],
      [active, 3],
    ] as const) {
      const seen: string[] = [];
      let since: string | null = null;
      for (;;) {
        const page: { body: Json } = await get(node, `/fills?limit=${limit}${since === null ? '' : `&since=${since}`}`);
        if (page.body.fills.length === 0) {
          expect(page.body.nextCursor).toBe(since);
          break;
        }
        seen.push(...page.body.fills.map((f: Json) => f.execId));
        since = page.body.nextCursor;
      }
      expect(seen).toEqual(all.body.fills.map((f: Json) => f.execId));
    }
  });

  it('GET /orders lists newest first, filters by strategy, state and symbol, and pages by cursor; the standby answers the same', async () => {
    const all = await get(standby, '/orders?limit=500');
    const ids = all.body.orders.map((o: Json) => o.clientOrderId);
    expect(ids).toEqual(['r-4', 'r-3', 'r-2', 'r-1']);
    expect((await get(active, '/orders?strategy=trend')).body.orders.map((o: Json) => o.clientOrderId)).toEqual(['r-2']);
    expect((await get(active, '/orders?symbol=NQ&state=terminal')).body.orders.map((o: Json) => o.clientOrderId)).toEqual(['r-4']);
    expect((await get(active, '/orders?state=open')).body).toEqual({ orders: [], nextCursor: null });
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Json } = await get(active, `/orders?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.body.orders.map((o: Json) => o.clientOrderId));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(ids);
  });

  it('GET /prices: every configured instrument with its consolidated price; a standby answers 503 not_active', async () => {
    const prices = await waitFor(
      async () => {
        const { body } = await get(active, '/prices');
        const es = body.prices.find((p: Json) => p.symbol === 'ES');
        return es?.price !== null && es?.sources > 0 ? body : undefined;
      },
      'a live ES price',
      10_000,
    );
    expect(prices.prices.map((p: Json) => p.symbol)).toEqual(Object.keys(active.config.marketData.instruments));
    expect(prices.prices.find((p: Json) => p.symbol === 'ES')).toMatchObject({
      price: expect.any(Number),
      bid: expect.any(Number),
      ask: expect.any(Number),
      confidence: expect.any(Number),
      contractMonth: expect.stringMatching(/^\d{6}$/),
      updatedAt: expect.any(String),
      ageMs: expect.any(Number),
    });
    expect((await get(standby, '/prices')).body.error.code).toBe('not_active');
  });
});
