import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/log/logger.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import type { ActorNode } from '../../src/supervision/treeView.ts';
import { activeStateIds } from '../../src/statechart/activeStateIds.ts';
import type { MachineLayout } from '../../src/statechart/machineLayout.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { testNodeConfig } from '../support/testNodeConfig.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { svgElements } from './drawingChecks.ts';

// A namespace of its own on the shared Redis, its keys deleted afterwards.
const NAMESPACE = `statechart-e2e-${process.pid}`;
const TOKEN = 'statechart-admin-token';
let main: MainProcess;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tw-statechart-'));
  const config = testNodeConfig({ namespace: NAMESPACE, reportDir: dir, admin: { token: TOKEN } });
  main = await startMainProcess(config, createSilentLogger());
  await main.whenActive();
}, 30_000);

afterAll(async () => {
  await main?.stop();
  rmSync(dir, { recursive: true, force: true });
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${NAMESPACE}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const read = async <T>(route: string): Promise<T> => {
  const response = await fetch(`${main.admin.url}${route}`);
  expect(response.status, route).toBe(200);
  return (await response.json()) as T;
};

function nodesOf(tree: ActorNode): ActorNode[] {
  return [tree, ...tree.children.flatMap(nodesOf)];
}

describe("the console's view of a running tradewire: each actor's machine with its current state", () => {
  it('finds the machine of every machine actor in the tree by its kind, and its active states in the drawing', async () => {
    // An order resting far from the market keeps its actor in the tree.
    const order = { clientOrderId: 'chart-1', account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'LMT', limitPrice: 100, strategy: 'statechart' };
    const submitted = await fetch(`${main.admin.url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(order) });
    expect(submitted.status).toBe(202);
    const hasWorkingOrder = (tree: ActorNode) => nodesOf(tree).some((node) => node.kind === 'order' && node.state === 'working');
    await waitUntil(async () => hasWorkingOrder(await read<ActorNode>('/actors')), 'the order actor working', 10_000);

    const { machines } = await read<{ machines: { name: string; kinds: string[] }[] }>('/machines');
    const machineOfKind = new Map(machines.flatMap((machine) => machine.kinds.map((kind) => [kind, machine.name] as const)));
    const tree = await read<ActorNode>('/actors');
    const drawn = new Set<string>();
    for (const node of nodesOf(tree)) {
      const name = machineOfKind.get(node.kind);
      if (!name || node.status !== 'running') continue;
      const layout = await read<MachineLayout>(`/machines/${name}/graph`);
      const machineId = layout.nodes.find((state) => state.parent === null)!.id;
      const ids = activeStateIds(node.state, machineId);
      const known = new Set(layout.nodes.map((state) => state.id));
      expect(ids.length, `${node.systemId} (${node.kind}) in ${JSON.stringify(node.state)}`).toBeGreaterThan(1);
      for (const id of ids) expect(known.has(id), `${node.systemId}: ${id} is not a state of ${name}`).toBe(true);
      const svg = await (await fetch(`${main.admin.url}/machines/${name}/graph?format=svg`)).text();
      const inSvg = new Set(svgElements(svg).states.map((state) => state.id));
      for (const id of ids) expect(inSvg.has(id), `${id} is not drawn`).toBe(true);
      drawn.add(node.kind);
    }
    expect([...drawn].sort()).toEqual(expect.arrayContaining(['ib-connection', 'lease', 'order', 'redis-link', 'tws-simulator']));
    // Every actor of the tree is a supervisor or runs a machine of the catalogue.
    const unknownKinds = nodesOf(tree).filter((node) => node.kind !== 'supervisor' && !machineOfKind.has(node.kind)).map((node) => `${node.systemId} (${node.kind})`);
    expect(unknownKinds).toEqual([]);
  }, 30_000);
});
