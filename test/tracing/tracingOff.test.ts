import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { orderTracing, tracingSdkLoaded } from '../../src/tracing/index.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';
import { waitUntil } from '../support/waitUntil.ts';

const TOKEN = 'tracing-off-token';
let redis: PrivateRedis;
let main: MainProcess;

beforeAll(async () => {
  redis = await startPrivateRedis();
  const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { redis: { url: redis.url }, admin: { port: 0, token: TOKEN }, orders: { demo: { enabled: false } } } });
  main = await startMainProcess(config, createSilentLogger(), { capabilities: ['broker', 'orders'], env: {} });
});
afterAll(async () => {
  await main?.stop();
  await redis?.stop();
  redis?.remove();
});

describe('tracing off (no OTEL_* variable set)', () => {
  it('runs an order without ever loading the OpenTelemetry SDK', async () => {
    const order = { clientOrderId: 'untraced-1', account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'LMT', limitPrice: 99_999, strategy: 'admin' };
    const submitted = await fetch(`${main.admin.url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(order) });
    expect(submitted.status).toBe(202);
    await waitUntil(async () => (await main.orders!.service.store.load('untraced-1'))?.state === 'filled', 'untraced-1 filled');
    expect(orderTracing()).toBeUndefined();
    expect(tracingSdkLoaded()).toBe(false);
  });
});
