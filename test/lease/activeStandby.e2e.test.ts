import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSim } from '../ib/ibConnectionHarness.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.ts';
import { waitUntil } from '../support/waitUntil.ts';
import type { TwsSimulator } from '../../src/sim/index.ts';
import type { Gateway } from '../../src/machines/ib/ibConnectionTypes.ts';
import type { MainProcess } from '../../src/runtime/mainProcess.ts';
import { ACTIVE_SUPERVISOR_ID } from '../../src/runtime/activeCapabilities.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { leaseNodeConfig, postJson, startNode } from './leaseNodes.ts';

let redis: PrivateRedis;
let sim: TwsSimulator;
let gateway: Gateway;
const running: MainProcess[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
  ({ sim, gateway } = await startSim());
});
afterEach(async () => {
  for (const node of running.splice(0).reverse()) await node.stop();
});
afterAll(async () => {
  await sim?.close();
  await redis?.stop();
  redis?.remove();
});

const order = (clientOrderId: string) => ({
  clientOrderId,
  account: 'DU1234567',
  instrument: { symbol: 'ES', expiry: '202703' },
  side: 'BUY',
  quantity: 1,
  orderType: 'LMT',
  limitPrice: 100,
  strategy: 'lease-test',
});

const node = async (nodeId: string, waitForActive: boolean, namespace = 'ha') => {
  const started = await startNode(leaseNodeConfig(redis.url, gateway, nodeId, { namespace }), waitForActive);
  running.push(started);
  return started;
};

describe('one active node per namespace', () => {
  it('a second node stands by: runs no capabilities, says so, and answers /active with 503', async () => {
    const a = await node('node-a', true);
    const b = await node('node-b', false);
    await waitUntil(() => b.role().activeNodeId === 'node-a', 'the standby to see the active node', 5_000);
    expect(a.role()).toMatchObject({ role: 'active', nodeId: 'node-a', namespace: 'ha' });
    expect(b.role()).toMatchObject({ role: 'standby', nodeId: 'node-b', token: null });
    expect(b.runtime.tree.get(ACTIVE_SUPERVISOR_ID)).toBeUndefined();
    expect(b.orders).toBeNull();
    const lease = b.runtime.actorTree().children.find((child) => child.systemId === 'lease');
    expect(lease?.details).toMatchObject({ role: 'standby', activeNodeId: 'node-a' });
    expect((await fetch(`${a.admin.url}/active`)).status).toBe(200);
    expect((await fetch(`${b.admin.url}/active`)).status).toBe(503);
    // Only the active node is connected to the gateway.
    expect(sim.clients().map((client) => client.clientId)).toEqual([7]);
  });

  it('hands over on a graceful stop: the standby takes over within a second and carries the open order on, sent once', async () => {
    const a = await node('node-a', true);
    const b = await node('node-b', false);
    expect((await postJson(a.admin.url, '/orders', order('ho-1'))).status).toBe(202);
    await waitUntil(async () => (await a.orders!.service.store.load('ho-1'))?.state === 'working', 'ho-1 working on node-a', 5_000);
    const stoppedAt = performance.now();
    await a.stop();
    running.splice(running.indexOf(a), 1);
    await b.whenActive();
    const handoverMs = performance.now() - stoppedAt;
    expect(handoverMs).toBeLessThan(5_000);
    await waitUntil(async () => (await b.orders!.service.store.load('ho-1'))?.state === 'working', 'ho-1 restored on node-b', 5_000);
    expect((await postJson(b.admin.url, '/orders/ho-1/cancel')).status).toBe(202);
    await waitUntil(async () => (await b.orders!.service.store.load('ho-1'))?.state === 'cancelled', 'ho-1 cancelled by node-b', 5_000);
    const placed = sim.ledger.messages({ orderRef: 'ho-1' }).filter((message) => message.type === 'placeOrder');
    expect(placed).toHaveLength(1);
  });

  it('an active node that loses the lease steps down at once: stops everything, drops the gateway, counts it; and can take it back later', async () => {
    const a = await node('node-a', true);
    expect((await postJson(a.admin.url, '/orders', order('sd-1'))).status).toBe(202);
    await waitUntil(async () => (await a.orders!.service.store.load('sd-1'))?.state === 'working', 'sd-1 working', 5_000);
    const admin = new Redis(redis.url);
    try {
      // What a standby that won after a pause would have done: a newer token, the lease its own.
      const newer = Number(await admin.get(namespaceKeys('ha').fence)) + 1;
      await admin.set(namespaceKeys('ha').fence, String(newer));
      await admin.set(namespaceKeys('ha').lease, `thief|${newer}`, 'PX', 1_500);
      await waitUntil(() => a.role().role === 'standby' && a.orders === null, 'node-a to step down', 3_000);
      await waitUntil(() => sim.clients().length === 0, 'node-a to drop its gateway connection', 3_000);
      const metrics = await (await fetch(`${a.admin.url}/metrics`)).text();
      expect(metrics).toMatch(/tradewire_lease_losses_total\{cause="superseded"\} 1/);
      expect(metrics).toMatch(/tradewire_lease_role\{role="active"\} 0/);
      // The thief's lease expires; node-a takes it back with a newer token and picks its order up again.
      await a.whenActive();
      expect(a.role().token).toBeGreaterThan(newer);
      await waitUntil(async () => (await a.orders?.service.store.load('sd-1'))?.state === 'working', 'sd-1 restored', 5_000);
      expect(sim.ledger.messages({ orderRef: 'sd-1', type: 'placeOrder' })).toHaveLength(1);
    } finally {
      admin.disconnect();
    }
  });

  it('a halt sent to a standby reaches the active node within a renew interval: intake halts, working orders are cancelled, /ready is 503 on both; a resume anywhere clears both', async () => {
    const a = await node('node-a', true);
    const b = await node('node-b', false);
    await waitUntil(() => b.role().activeNodeId === 'node-a', 'node-b standing by', 5_000);
    expect((await postJson(a.admin.url, '/orders', order('halt-1'))).status).toBe(202);
    await waitUntil(async () => (await a.orders!.service.store.load('halt-1'))?.state === 'working', 'halt-1 working', 5_000);

    const halted = await postJson(b.admin.url, '/halt', { reason: 'desk says stop', cancelAll: true, operator: 'carol' });
    expect(halted.status).toBe(200);
    expect(await halted.json()).toMatchObject({ halted: true, cancelRequested: 0 });
    await waitUntil(async () => (await a.orders!.service.store.load('halt-1'))?.state === 'cancelled', 'the active node to cancel halt-1', 5_000);
    for (const n of [a, b]) {
      const ready = await fetch(`${n.admin.url}/ready`);
      expect(ready.status).toBe(503);
      expect(JSON.stringify(await ready.json())).toMatch(/order intake halted: halted by carol .*: desk says stop/);
    }
    const metrics = await (await fetch(`${a.admin.url}/metrics`)).text();
    expect(metrics).toMatch(/tradewire_intake_halted\{cause="operator"\} 1/);
    const leaseNode = b.runtime.actorTree().children.find((child) => child.systemId === 'lease');
    expect(leaseNode?.details?.intakeHalted).toMatchObject({ operator: expect.stringMatching(/desk says stop/) });

    expect((await postJson(a.admin.url, '/resume', { reason: 'checked', operator: 'dave' })).status).toBe(200);
    await waitUntil(async () => (await fetch(`${b.admin.url}/ready`)).status === 200, 'node-b to follow the resume', 5_000);
    expect((await fetch(`${a.admin.url}/ready`)).status).toBe(200);
  });

  it('when the active supervisor ends on its own, the node steps down, releases and starts afresh (never half-active)', async () => {
    const a = await node('node-a', true);
    expect((await postJson(a.admin.url, '/orders', order('sup-1'))).status).toBe(202);
    await waitUntil(async () => (await a.orders!.service.store.load('sup-1'))?.state === 'working', 'sup-1 working', 5_000);
    const before = a.role().token!;
    // What the root does when `active` gives up on a child: it is gone without the lease asking.
    a.runtime.tree.terminateChild(a.runtime.tree.rootId, ACTIVE_SUPERVISOR_ID);
    await waitUntil(() => a.role().role === 'active' && (a.role().token ?? 0) > before && a.orders !== null, 'node-a active again with a new token', 10_000);
    await waitUntil(async () => (await a.orders!.service.store.load('sup-1'))?.state === 'working', 'sup-1 restored', 5_000);
    expect(await (await fetch(`${a.admin.url}/metrics`)).text()).toMatch(/tradewire_lease_losses_total\{cause="capabilities_failed"\} 1/);
    expect(sim.ledger.messages({ orderRef: 'sup-1', type: 'placeOrder' })).toHaveLength(1);
    expect(sim.clients()).toHaveLength(1);
  });

  it('two namespaces on one Redis each have their own active node', async () => {
    const a = await node('node-a', true, 'ns-one');
    const b = await node('node-b', true, 'ns-two');
    expect(a.role().role).toBe('active');
    expect(b.role().role).toBe('active');
  });
});
