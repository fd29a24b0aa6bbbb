import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { BreakRegistry } from '../../src/orders/breakRegistry.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { redisUrlForDb } from '../support/redisUrl.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

// A database of its own: the runtime uses the default queue and store keys.
const REDIS_URL = redisUrlForDb(7);
const TOKEN = 'orders-admin-token';
const READ_TOKEN = 'orders-read-token';
let main: MainProcess;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  await redis.flushdb();
  const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { redis: { url: REDIS_URL }, admin: { port: 0, token: TOKEN, readToken: READ_TOKEN }, orders: { demo: { enabled: false } } } });
  main = await startMainProcess(config, createSilentLogger(), { capabilities: ['broker', 'orders'] });
  await main.whenActive();
});
afterAll(async () => {
  await main?.stop();
  await redis.flushdb();
  redis.disconnect();
});

const post = (path: string, body?: unknown, token = TOKEN) =>
  fetch(`${main.admin.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const stateOf = async (id: string) => (await main.orders!.service.store.load(id))?.state;
const until = (check: () => Promise<boolean>, what: string) => waitUntil(check, what, 5_000);

describe('orders through the admin API (queued like any order)', () => {
  it('submits, modifies and cancels orders; refuses bad ones with 400 naming the field', async () => {
    const order = { clientOrderId: 'adm-1', account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'LMT', limitPrice: 100, strategy: 'admin' };
    const submitted = await post('/orders', order);
    expect(submitted.status).toBe(202);
    expect(await submitted.json()).toMatchObject({ accepted: true, clientOrderId: 'adm-1' });
    await until(async () => (await stateOf('adm-1')) === 'working', 'working');

    expect((await post('/orders/adm-1/modify', { limitPrice: 99_999 })).status).toBe(202);
    await until(async () => (await stateOf('adm-1')) === 'filled', 'filled after the modify');

    expect((await post('/orders', { ...order, clientOrderId: 'adm-2' })).status).toBe(202);
    await until(async () => (await stateOf('adm-2')) === 'working', 'adm-2 working');
    expect((await post('/orders/adm-2/cancel')).status).toBe(202);
    await until(async () => (await stateOf('adm-2')) === 'cancelled', 'cancelled');

    const bad = await post('/orders', { ...order, clientOrderId: 'adm-3', limitPrice: undefined });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/limitPrice: required for orderType LMT/);
    expect((await post('/orders/adm-1/modify', {})).status).toBe(400);
    const unauthenticated = await fetch(`${main.admin.url}/orders/adm-1/cancel`, { method: 'POST' });
    expect(unauthenticated.status).toBe(401);
  });
});

describe('one active writer: the running process as the lease holder, and its operator routes', () => {
  it('GET /active answers 200 with this node, namespace and fencing token; /ready says active', async () => {
    const active = await fetch(`${main.admin.url}/active`);
    expect(active.status).toBe(200);
    expect(await active.json()).toEqual({ active: true, nodeId: main.nodeId, namespace: 'tradewire', token: expect.any(Number) });
    expect(await (await fetch(`${main.admin.url}/ready`)).json()).toMatchObject({ role: 'active' });
  });

  it('the read token reads but cannot order: 403, nothing stored', async () => {
    const tree = await fetch(`${main.admin.url}/actors`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
    expect(tree.status).toBe(200);
    const order = { clientOrderId: 'adm-read-1', account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'MKT', strategy: 'admin' };
    const refused = await post('/orders', order, READ_TOKEN);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect(await main.orders!.service.store.load('adm-read-1')).toBeNull();
  });

  it('clears a break of the namespace (the order service unlocks it) and acts on its dead letters', async () => {
    const registry = new BreakRegistry(redis, `${namespaceKeys(main.config.namespace).ordersPrefix}:breaks`);
    await registry.record({ symbol: 'GC', kind: 'overfill', detail: 'e2e', at: new Date().toISOString() });
    await until(async () => main.orders!.service.breaks.lockedInstruments.has('GC'), 'GC locked');
    const cleared = await post('/breaks/GC/clear', { reason: 'checked' });
    expect(cleared.status).toBe(200);
    await until(async () => !main.orders!.service.breaks.lockedInstruments.has('GC'), 'GC unlocked');
    expect((await post('/breaks/GC/clear', {})).status).toBe(404);

    expect((await post('/dlq/orders/replay', { id: 'orders:dead:nope' })).status).toBe(404);
    expect(await (await post('/dlq/orders/purge', { olderThan: '7d' })).json()).toMatchObject({ purged: [], count: 0 });
    expect((await post('/dlq/orders/purge', { olderThan: 'soon' })).status).toBe(400);
  });
});
