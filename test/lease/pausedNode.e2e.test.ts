import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type RunningProcess } from '../e2e/processHarness.ts';
import { startSim } from '../ib/ibConnectionHarness.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.ts';
import { waitUntil } from '../support/waitUntil.ts';
import type { TwsSimulator } from '../../src/sim/index.ts';
import type { Gateway } from '../../src/machines/ib/ibConnectionTypes.ts';
import type { MainProcess } from '../../src/runtime/mainProcess.ts';
import { LEASE_TEST_TOKEN, leaseNodeConfig, postJson, startNode } from './leaseNodes.ts';

let redis: PrivateRedis;
let sim: TwsSimulator;
let gateway: Gateway;
let dir: string;
let paused: RunningProcess | null = null;
let standby: MainProcess | null = null;

beforeAll(async () => {
  redis = await startPrivateRedis();
  ({ sim, gateway } = await startSim());
  dir = mkdtempSync(path.join(tmpdir(), 'tw-paused-'));
});
afterAll(async () => {
  if (paused) {
    paused.child.kill('SIGCONT');
    paused.child.kill('SIGKILL');
    await paused.exited;
  }
  await standby?.stop();
  await sim?.close();
  await redis?.stop();
  redis?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const TTL_MS = 900;

describe('an active node paused past its lease (SIGSTOP), while its gateway session stays open', () => {
  it('is replaced by a standby on the next client id (326), which adopts its order but refuses to cancel another client\'s order, recording a break; woken, the old node sends nothing and steps down', async () => {
    const configFile = path.join(dir, 'node-a.json');
    const nodeA = leaseNodeConfig(redis.url, gateway, 'node-a', { namespace: 'px', ttlMs: TTL_MS, renewMs: 300 });
    writeFileSync(configFile, JSON.stringify({ namespace: 'px', lease: nodeA.lease, redis: nodeA.redis, broker: { mode: 'ib', ib: nodeA.broker.ib }, orders: { demo: { enabled: false } } }));
    paused = runCli(['start'], { TRADEWIRE_CONFIG: configFile, TRADEWIRE_ADMIN_TOKEN: LEASE_TEST_TOKEN, TRADEWIRE_LOG_LEVEL: 'info' });
    await paused.waitForLine(/capabilities started/, 20_000);
    const adminA = /admin listening on (http:\/\/\S+?)"/.exec(await paused.waitForLine(/admin listening on/))![1]!;

    standby = await startNode(leaseNodeConfig(redis.url, gateway, 'node-b', { namespace: 'px', ttlMs: TTL_MS, renewMs: 300 }), false);
    const order = { clientOrderId: 'px-1', account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'LMT', limitPrice: 100, strategy: 'paused' };
    expect((await postJson(adminA, '/orders', order)).status).toBe(202);
    await waitUntil(() => sim.ledger.messages({ orderRef: 'px-1', type: 'placeOrder' }).length === 1, 'px-1 at the gateway', 10_000);

    paused.child.kill('SIGSTOP');
    await standby.whenActive();
    const takenOverAt = Date.now();
    const b = standby;
    await waitUntil(() => b.orders !== null, 'node-b orders running', 5_000);
    const clientIdOfB = () => (b.runtime.actorTree().children.find((c) => c.systemId === 'active')?.children.find((c) => c.systemId === 'broker')?.children.find((c) => c.systemId === 'ib')?.details?.clientId as number | undefined);
    await waitUntil(() => clientIdOfB() === 8, 'node-b on client id 8 (7 is still held: 326)', 10_000);
    expect(sim.ledger.connections({ clientId: 7 }).some((c) => c.status === 'refused' && c.errorCode === 326)).toBe(true);
    await waitUntil(async () => (await b.orders!.service.store.load('px-1'))?.state === 'working', 'px-1 adopted by node-b', 10_000);

    expect((await postJson(b.admin.url, '/orders/px-1/cancel')).status).toBe(202);
    await waitUntil(() => b.orders!.service.breaks.breaks.some((entry) => entry.kind === 'foreign_client_order' && entry.symbol === 'ES'), 'a break for the foreign order', 10_000);
    expect(sim.ledger.messages({ orderRef: 'px-1', type: 'cancelOrder' })).toHaveLength(0);
    expect((await b.orders!.service.store.load('px-1'))?.state).toBe('working');

    // The broker fills it: its status goes to client id 7 (the paused session) only, so node-b learns
    // of the fill from the broker's executions, which it reads while it holds another client's order.
    sim.setPrice('ES', 99);
    await waitUntil(async () => (await b.orders!.service.store.load('px-1'))?.state === 'filled', 'node-b to book the fill of the adopted order', 10_000);
    expect(sim.ledger.byOrderRef('px-1')).toHaveLength(1);

    // Woken: the old node's lease has long expired locally; it must send nothing and step down.
    paused.child.kill('SIGCONT');
    await paused.waitForLine(/lease lost: stepping down/, 10_000);
    await waitUntil(() => sim.ledger.connections({ clientId: 7 }).every((c) => c.closedAt !== undefined), 'node-a to drop its gateway session', 10_000);
    const aConnections = new Set(sim.ledger.connections({ clientId: 7 }).map((c) => c.connectionId));
    const lateFromA = sim.ledger.messages({ since: takenOverAt }).filter((message) => aConnections.has(message.connectionId));
    expect(lateFromA).toEqual([]);
    expect(sim.ledger.messages({ orderRef: 'px-1', type: 'placeOrder' })).toHaveLength(1);
  }, 60_000);
});
