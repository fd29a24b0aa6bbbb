import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { createMemoryLogger } from './memoryLogger.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

const TOKEN = 'redis-outage-token';
let redis: PrivateRedis;
let main: MainProcess;
const logs = createMemoryLogger();

beforeAll(async () => {
  redis = await startPrivateRedis({ durable: true });
  const config = loadConfig({
    env: SIM_CLOCK_ENV,
    overrides: { redis: { url: redis.url, stateFile: false } as never, admin: { port: 0, token: TOKEN }, orders: { demo: { enabled: false } } },
  });
  main = await startMainProcess(config, logs.logger, { capabilities: ['broker', 'orders'] });
});
afterAll(async () => {
  // Back with its data, as after an outage: the runtime then stops as usual.
  await redis?.start();
  await main?.stop();
  await redis?.stop();
  redis?.remove();
});

const order = (clientOrderId: string) => ({ clientOrderId, account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'LMT', limitPrice: 100, strategy: 'outage' });
const post = (path: string, body: unknown) =>
  fetch(`${main.admin.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the admin API while the runtime\'s Redis is down', () => {
  it('answers 503 redis_unavailable, not 500, and logs the error as fields', async () => {
    // An order in flight as Redis goes: the stop afterwards must not hang on it.
    expect((await post('/orders', order('outage-1'))).status).toBe(202);
    await redis.stop();
    const response = await post('/orders', order('outage-2'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('redis_unavailable');
    expect(body.error.message).toMatch(/^Redis cannot be reached, so the request was not carried out; try again once Redis is back \(request id /);
    const logged = logs.entries.filter((entry) => entry.message === 'admin request failed: Redis cannot be reached');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'error', method: 'POST', path: '/orders', statusCode: 503, error: { message: expect.any(String), stack: expect.any(Array) } });
    expect(logs.entries.some((entry) => entry.message === 'admin request failed')).toBe(false);
  });
});
