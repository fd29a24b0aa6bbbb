import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderAuditTrail } from '../../src/audit/index.ts';
import { namespaceKeys, type NamespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { OrderStore } from '../../src/orders/orderStore.ts';
import { DeadLetterQueue } from '../../src/queues/index.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { redisUrlForDb } from '../support/redisUrl.ts';
import { testNodeConfig } from '../support/testNodeConfig.ts';

// A database of its own, shared by the two runtimes: what one writes the other must never see.
const REDIS_URL = redisUrlForDb(10);
const TOKEN = 'namespaces-admin-token';
const NAMESPACES = ['ns-a', 'ns-b'] as const;

interface Node {
  namespace: string;
  keys: NamespaceKeys;
  main: MainProcess;
  dir: string;
}

let redis: Redis;
const nodes: Node[] = [];

/** `tradewire start` as it runs (every default capability), with its own namespace, simulator and report folders. */
async function startNode(namespace: string): Promise<Node> {
  const dir = mkdtempSync(path.join(tmpdir(), `tw-${namespace}-`));
  const config = testNodeConfig({ namespace, reportDir: dir, admin: { token: TOKEN }, redisUrl: REDIS_URL });
  const main = await startMainProcess(config, createSilentLogger());
  return { namespace, keys: namespaceKeys(namespace), main, dir };
}

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  await redis.flushdb();
  // Side by side: both start at once, each takes the lease of its own namespace.
  nodes.push(...(await Promise.all(NAMESPACES.map(startNode))));
}, 30_000);

afterAll(async () => {
  await Promise.all(nodes.map((node) => node.main.stop()));
  for (const node of nodes) rmSync(node.dir, { recursive: true, force: true });
  await redis.flushdb();
  redis.disconnect();
});

const post = (node: Node, route: string, body: unknown) =>
  fetch(`${node.main.admin.url}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const marketOrder = (clientOrderId: string) => ({ clientOrderId, account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'MKT', strategy: 'namespaces' });

/** Read straight from Redis under the node's keys, as any other process would. */
const storeOf = (node: Node) => new OrderStore(redis, node.keys.ordersPrefix);
const trailOf = (node: Node) => new OrderAuditTrail(redis, { key: node.keys.auditStream() });
const stateIn = async (node: Node, clientOrderId: string) => (await storeOf(node).load(clientOrderId))?.state;

async function submitAndFill(node: Node, clientOrderId: string): Promise<void> {
  expect((await post(node, '/orders', marketOrder(clientOrderId))).status).toBe(202);
  await waitUntil(async () => (await stateIn(node, clientOrderId)) === 'filled', `${clientOrderId} filled in ${node.namespace}`, 10_000);
}

async function fillJobOrderIds(node: Node): Promise<string[]> {
  const fills = new Queue('fills', { connection: redis, prefix: node.keys.bullPrefix });
  try {
    const jobs = await fills.getJobs(['waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed']);
    return jobs.map((job) => String((job.data as { clientOrderId: unknown }).clientOrderId)).sort();
  } finally {
    await fills.close();
  }
}

describe('two namespaces on one Redis share nothing', () => {
  it('each runtime sees only its own orders, fills and audit records, even under the same clientOrderId', async () => {
    const [a, b] = nodes as [Node, Node];
    // `shared-1` in both: one store would take the second as a duplicate and never send it.
    await Promise.all(nodes.map(async (node) => {
      await submitAndFill(node, `${node.namespace}-1`);
      await submitAndFill(node, 'shared-1');
    }));

    for (const node of nodes) {
      const own = [`${node.namespace}-1`, 'shared-1'].sort();
      expect((await storeOf(node).recentOrderIds(100)).sort()).toEqual(own);
      expect((await node.main.orders!.service.store.recentOrderIds(100)).sort()).toEqual(own);
      await waitUntil(async () => (await fillJobOrderIds(node)).length === 2, `two fills in ${node.namespace}`, 10_000);
      expect(await fillJobOrderIds(node)).toEqual(own);

      const trail = trailOf(node);
      // Its records are appended after the transitions: wait for the fill record.
      await waitUntil(async () => (await trail.historyOf('shared-1')).some((entry) => entry.record.kind === 'filled'), `shared-1 fill audited in ${node.namespace}`, 10_000);
      const records = (await trail.readRange({ limit: 1_000 })).map((entry) => entry.record as { seq: number; clientOrderId?: string });
      expect(new Set(records.flatMap((record) => (record.clientOrderId ? [record.clientOrderId] : [])))).toEqual(new Set(own));
      // A chain of its own: it starts at seq 1 and verifies; `shared-1` was received once here.
      expect(records[0]?.seq).toBe(1);
      expect((await trail.verify()).ok).toBe(true);
      expect((await trail.historyOf('shared-1')).filter((entry) => entry.record.kind === 'received')).toHaveLength(1);
      expect(node.main.orders!.service.breaks.key).toBe(node.keys.orderBreaks);
    }
    expect(await stateIn(a, `${b.namespace}-1`)).toBeUndefined();
    expect(await stateIn(b, `${a.namespace}-1`)).toBeUndefined();
  });

  it('a job neither can read is dead-lettered in its own namespace only', async () => {
    for (const node of nodes) {
      const orders = new Queue('orders', { connection: redis, prefix: node.keys.bullPrefix });
      await orders.add('garbage', { marker: node.namespace });
      await orders.close();
    }
    for (const node of nodes) {
      const dlq = new DeadLetterQueue('orders', { connection: redis, prefix: node.keys.bullPrefix });
      try {
        await waitUntil(async () => (await dlq.count()) === 1, `the dead letter in ${node.namespace}`, 10_000);
        expect((await dlq.list()).map((record) => record.payload)).toEqual([{ marker: node.namespace }]);
      } finally {
        await dlq.close();
      }
    }
  });

  it('an operator halt of one namespace leaves the other taking orders', async () => {
    const [a, b] = nodes as [Node, Node];
    expect((await post(a, '/halt', { reason: 'namespaces test' })).status).toBe(200);
    expect(await redis.exists(a.keys.operatorHalt, b.keys.operatorHalt)).toBe(1);
    await submitAndFill(b, `${b.namespace}-during-halt`);
    expect((await post(a, '/orders', marketOrder(`${a.namespace}-during-halt`))).status).toBe(202);
    await waitUntil(async () => (await stateIn(a, `${a.namespace}-during-halt`)) === 'rejected', 'the halted namespace refuses its order', 10_000);
    expect((await post(a, '/resume', { reason: 'namespaces test done' })).status).toBe(200);
  });

  it('after both ran, every key in the database belongs to one of the two namespaces', async () => {
    await Promise.all(nodes.map((node) => node.main.stop()));
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await redis.scan(cursor, 'COUNT', 1_000);
      cursor = next;
      keys.push(...page);
    } while (cursor !== '0');
    expect(keys.filter((key) => !NAMESPACES.some((namespace) => key.startsWith(`${namespace}:`)))).toEqual([]);
    // And each namespace did write its own of every kind: the check above is not vacuous.
    for (const node of nodes) {
      const { keys: k } = node;
      for (const expected of [`${k.bullPrefix}:orders:`, `${k.bullPrefix}:fills:`, `${k.bullPrefix}:orders:dead`, `${k.bullPrefix}:reports:`, `${k.bullPrefix}:regulatory-close:`, `${k.ordersPrefix}:order:`, k.auditStream(), k.continuityEpoch, k.ibOrderIdHighWater('ib')]) {
        expect(keys.some((key) => key.startsWith(expected)), `${expected}* in ${node.namespace}`).toBe(true);
      }
    }
  });
});
