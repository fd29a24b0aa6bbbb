import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createSilentLogger } from '../../src/log/logger';
import { brokerSubtree } from '../../src/runtime/brokerSubtree';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess';
import { ordersSubtree } from '../../src/runtime/ordersRuntime';
import { waitUntil } from '../support/waitUntil';

// A database of its own: the runtime uses the default queue and store keys.
const REDIS_URL = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d+$/, '')}/7`;
const TOKEN = 'orders-admin-token';
let main: MainProcess;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  await redis.flushdb();
  const config = loadConfig({ env: {}, overrides: { redis: { url: REDIS_URL }, admin: { port: 0, token: TOKEN }, orders: { demo: { enabled: false } } } });
  main = await startMainProcess(config, createSilentLogger(), [brokerSubtree, (c, r) => ordersSubtree(c, r)]);
});
afterAll(async () => {
  await main?.stop();
  await redis.flushdb();
  redis.disconnect();
});

const post = (path: string, body?: unknown) =>
  fetch(`${main.admin.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
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
