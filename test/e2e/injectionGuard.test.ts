import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { startVolatileRedis, type VolatileRedis } from '../runtime/continuity/volatileRedis.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { runCli } from './processHarness.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

const TOKEN = 'injection-guard-token';

interface World {
  redis: VolatileRedis;
  main: MainProcess;
}

/** The real runtime (simulator, IB connection, orders) on a Redis of its own, with the admin API. */
async function startWorld(brokerEventInjection: boolean): Promise<World> {
  const redis = await startVolatileRedis();
  const config = loadConfig({
    env: SIM_CLOCK_ENV,
    overrides: { redis: { url: redis.url }, admin: { port: 0, token: TOKEN }, orders: { demo: { enabled: false } }, testing: { brokerEventInjection } },
  });
  const main = await startMainProcess(config, createSilentLogger(), { capabilities: ['broker', 'orders'] });
  await main.runtime.whenReady();
  return { redis, main };
}

async function stopWorld(world: World | undefined): Promise<void> {
  await world?.main.stop();
  await world?.redis.stop();
}

const post = (world: World, path: string, body: unknown, requestId?: string) =>
  fetch(`${world.main.admin.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}) },
    body: JSON.stringify(body),
  });
const inject = (world: World, systemId: string, event: unknown, requestId?: string) => post(world, `/actors/${encodeURIComponent(systemId)}/events`, event, requestId);
const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

const stored = (world: World, id: string) => world.main.orders!.service.store.load(id);
const history = async (world: World, id: string) => (await world.main.orders!.service.audit.historyOf(id)).map((entry) => entry.record as unknown as Record<string, unknown>);

/** A resting limit far below the market: it works at the simulator and never fills by itself. */
async function restingOrder(world: World, clientOrderId: string): Promise<void> {
  const order = { clientOrderId, account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'LMT', limitPrice: 100, strategy: 'guard' };
  expect((await post(world, '/orders', order)).status).toBe(202);
  await waitUntil(async () => (await stored(world, clientOrderId))?.state === 'working', `${clientOrderId} working`, 10_000);
  // Its records are appended after the transitions: wait for the last one, so later reads compare whole histories.
  await waitUntil(async () => (await history(world, clientOrderId)).some((r) => r.kind === 'acknowledged'), `${clientOrderId} acknowledged in the audit trail`, 10_000);
}

async function fillJobs(world: World): Promise<number> {
  const fills = new Queue('fills', { connection: world.redis.admin, prefix: namespaceKeys().bullPrefix });
  try {
    const counts = await fills.getJobCounts();
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  } finally {
    await fills.close();
  }
}

describe('forged input through the admin API, in normal running', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(false);
  });
  afterAll(() => stopWorld(world));

  it('refuses a forged broker.fill with 400: the order is not filled, and nothing is audited or published', async () => {
    await restingOrder(world, 'guard-1');
    const before = await history(world, 'guard-1');

    const forged = await inject(world, 'order:guard-1', { type: 'broker.fill', fill: { execId: 'forged-1', quantity: 1, price: 100 } });
    expect(forged.status).toBe(400);
    expect((await errorOf(forged)).message).toMatch(/"broker\.fill" is broker-origin/);
    for (const [event, field] of [
      [{ type: 'MODIFY', limitPrice: 'abc' }, /limitPrice/],
      [{ type: 'MODIFY', quantity: -1 }, /quantity: must be positive/],
      [{ type: 'reconcile.found', ibOrderId: 1, status: 'Filled', filledQuantity: 1, fills: [] }, /internal/],
      [{ type: 'child.fill', childId: 'guard-1:t1', fill: { execId: 'x', quantity: 1, price: 1 } }, /internal/],
    ] as const) {
      const response = await inject(world, 'order:guard-1', event);
      expect(response.status, JSON.stringify(event)).toBe(400);
      expect((await errorOf(response)).message).toMatch(field);
    }

    const order = await stored(world, 'guard-1');
    expect(order?.state).toBe('working');
    expect(order?.context?.filledQuantity ?? 0).toBe(0);
    expect(order?.spec.limitPrice).toBe(100);
    expect(await history(world, 'guard-1')).toEqual(before);
    expect(await fillJobs(world)).toBe(0);
  });

  it('refuses tradewire.shutdown into the root or the orders supervisor: the process stays ready, the order stays live', async () => {
    await restingOrder(world, 'guard-2');
    for (const systemId of ['root', 'orders', 'order:guard-2']) {
      const response = await inject(world, systemId, { type: 'tradewire.shutdown' });
      expect(response.status, systemId).toBe(400);
      expect((await errorOf(response)).message).toMatch(/"tradewire\.shutdown" is internal/);
    }
    expect((await inject(world, 'orders', { type: 'CANCEL' })).status).toBe(400);
    expect((await fetch(`${world.main.admin.url}/ready`)).status).toBe(200);
    expect(world.main.runtime.tree.get('order:guard-2')?.getSnapshot().status).toBe('active');
    expect((await stored(world, 'guard-2'))?.state).toBe('working');
  });

  it('refuses a modify through the API with wrong field types, non-finite prices or a negative quantity, naming the field', async () => {
    await restingOrder(world, 'guard-4');
    const raw = (body: string) =>
      fetch(`${world.main.admin.url}/orders/guard-4/modify`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body });
    for (const [body, field] of [
      ['{"limitPrice":"abc"}', /^limitPrice: expected number, got "abc"$/],
      ['{"limitPrice":1e999}', /^limitPrice: expected number, got Infinity$/],
      ['{"stopPrice":-1e999}', /^stopPrice: expected number, got -Infinity$/],
      ['{"quantity":-1}', /^quantity: must be positive$/],
      ['{"quantity":"2"}', /^quantity: expected number, got "2"$/],
    ] as const) {
      const response = await raw(body);
      expect(response.status, body).toBe(400);
      expect((await errorOf(response)).message).toMatch(field);
    }
    expect((await stored(world, 'guard-4'))?.spec.limitPrice).toBe(100);
    expect((await history(world, 'guard-4')).map((r) => r.kind)).not.toContain('modified');
  });

  it('refuses an outside clientOrderId shaped like a TWAP slice id', async () => {
    const response = await post(world, '/orders', { clientOrderId: 'guard-1:t1', account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'MKT', strategy: 'guard' });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/^clientOrderId: may only contain letters, digits and \. _ -/);
    expect(await stored(world, 'guard-1:t1')).toBeNull();
  });

  it('delivers a CANCEL injected into an order, audited as injected with the request id before the cancel it caused', async () => {
    await restingOrder(world, 'guard-3');
    const response = await inject(world, 'order:guard-3', { type: 'CANCEL', reason: 'ops' }, 'ops-cancel-1');
    expect(response.status).toBe(202);
    await waitUntil(async () => (await stored(world, 'guard-3'))?.state === 'cancelled', 'guard-3 cancelled', 10_000);
    const records = await history(world, 'guard-3');
    const injected = records.findIndex((r) => r.kind === 'injected');
    expect(records[injected]).toMatchObject({ kind: 'injected', actor: 'admin', eventType: 'CANCEL', event: { type: 'CANCEL', reason: 'ops' }, requestId: 'ops-cancel-1', brokerOrigin: false });
    expect(injected).toBeLessThan(records.findIndex((r) => r.kind === 'cancelRequested'));
  });
});

describe('with testing.brokerEventInjection against the simulator', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(true);
  });
  afterAll(() => stopWorld(world));

  it('takes a valid broker.fill into an order, audited as injected with the request id before the fill it books', async () => {
    await restingOrder(world, 'test-1');
    const malformed = await inject(world, 'order:test-1', { type: 'broker.fill', fill: { execId: 'forged-1', quantity: 1, price: 'x' } });
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).message).toMatch(/fill\.price/);
    expect((await inject(world, 'ib', { type: 'broker.fill', fill: { execId: 'forged-1', quantity: 1, price: 100 } })).status).toBe(400);

    const fill = { type: 'broker.fill', fill: { execId: 'forged-1', quantity: 1, price: 100 } };
    const response = await inject(world, 'order:test-1', fill, 'test-fill-1');
    expect(response.status).toBe(202);
    await waitUntil(async () => (await stored(world, 'test-1'))?.state === 'filled', 'test-1 filled', 10_000);
    await waitUntil(async () => (await history(world, 'test-1')).some((r) => r.kind === 'filled'), 'filled audited', 10_000);

    const records = await history(world, 'test-1');
    const injected = records.findIndex((r) => r.kind === 'injected');
    expect(records[injected]).toMatchObject({ kind: 'injected', eventType: 'broker.fill', event: fill, requestId: 'test-fill-1', brokerOrigin: true });
    expect(injected).toBeLessThan(records.findIndex((r) => r.kind === 'filled' && r.execId === 'forged-1'));
    expect((await world.main.orders!.service.audit.verify()).ok).toBe(true);
  });

  it('still refuses lifecycle events', async () => {
    await restingOrder(world, 'test-2');
    expect((await inject(world, 'order:test-2', { type: 'tradewire.shutdown' })).status).toBe(400);
    expect((await inject(world, 'root', { type: 'tradewire.shutdown' })).status).toBe(400);
    expect((await stored(world, 'test-2'))?.state).toBe('working');
  });
});

describe('the testing flag with a real broker', () => {
  it('refuses to start, naming the key', async () => {
    const p = runCli(['start'], { TRADEWIRE_TESTING_BROKER_EVENTS: '1', TRADEWIRE_BROKER: 'ib', REDIS_URL: 'redis://127.0.0.1:1' });
    const { code } = await p.exited;
    expect(code).toBe(2);
    expect(p.lines.join('\n')).toMatch(/testing\.brokerEventInjection: must be false with broker\.mode ib/);
  });
});
