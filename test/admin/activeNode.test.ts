import { afterEach, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from '../../src/admin/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import type { NodeRoleView, RuntimeView } from '../../src/admin/runtimeView.ts';
import { FakeRuntimeView } from './fakeRuntimeView.ts';

const TOKEN = 'active-node-token-123';
const ACTIVE: NodeRoleView = { role: 'active', namespace: 'desk-a', nodeId: 'node-1', token: 42, activeNodeId: 'node-1' };
const STANDBY: NodeRoleView = { role: 'standby', namespace: 'desk-a', nodeId: 'node-2', token: null, activeNodeId: 'node-1' };

let server: AdminServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(role: NodeRoleView | null, configure: (view: RuntimeView) => void = () => undefined) {
  const view: RuntimeView = new FakeRuntimeView();
  if (role) view.nodeRole = () => role;
  configure(view);
  server = await startAdminServer({ view, port: 0, token: TOKEN, logger: createSilentLogger() });
  return { view, url: server.url };
}

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });

describe('GET /active (real HTTP): 200 only on the lease holder', () => {
  it('the active node answers 200 with its node id, namespace and fencing token', async () => {
    const { url } = await serve(ACTIVE);
    expect(await json(await fetch(`${url}/active`))).toEqual({ status: 200, body: { active: true, nodeId: 'node-1', namespace: 'desk-a', token: 42 } });
  });

  it('a standby answers 503 naming the active node', async () => {
    const { url } = await serve(STANDBY);
    expect(await json(await fetch(`${url}/active`))).toEqual({ status: 503, body: { active: false, role: 'standby', activeNodeId: 'node-1' } });
  });

  it('a process without a lease is alone in its namespace: active', async () => {
    const { url } = await serve(null);
    expect(await json(await fetch(`${url}/active`))).toEqual({ status: 200, body: { active: true, nodeId: null, namespace: null, token: null } });
  });
});

describe('GET /ready carries the role next to ready and reasons', () => {
  it.each([
    [ACTIVE, 'active'],
    [STANDBY, 'standby'],
    [null, 'active'],
  ] as const)('%j → role %s, ready or not', async (role, expected) => {
    const { view, url } = await serve(role);
    expect(await json(await fetch(`${url}/ready`))).toEqual({ status: 200, body: { ready: true, role: expected, reasons: [] } });
    (view as FakeRuntimeView).readinessState = { ready: false, reasons: ['market-data is restarting'] };
    expect(await json(await fetch(`${url}/ready`))).toEqual({ status: 503, body: { ready: false, role: expected, reasons: ['market-data is restarting'] } });
  });
});

describe('a standby takes order intake (jobs are only enqueued, for the active node to take)', () => {
  it.each([
    ['/orders/o-1/cancel', {}],
    ['/orders/o-1/modify', { limitPrice: 1 }],
  ])('POST %s is queued (202)', async (path, body) => {
    const calls: string[] = [];
    const { url } = await serve(STANDBY, (view) => {
      view.submitOrderJob = async () => (calls.push('order'), { accepted: true, jobId: '1', clientOrderId: 'o-1' });
    });
    const response = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(202);
    expect(calls).toEqual(['order']);
  });
});

describe('order intake that is not running here (a process stopping, orders disabled)', () => {
  it('answers 503 with retry-after, never 400: the order was fine, it just was not queued', async () => {
    const { url } = await serve(STANDBY, (view) => {
      view.submitOrderJob = async () => ({ accepted: false, unavailable: 'order intake is stopping in this process' });
    });
    const response = await fetch(`${url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ clientOrderId: 'o-1' }) });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toEqual({ error: { code: 'orders_unavailable', message: 'order intake is stopping in this process' } });
  });
});

describe('a standby refuses the namespace-writing actions, naming the active node', () => {
  it.each([
    ['/breaks/ES/clear', {}],
    ['/dlq/orders/replay', { all: true }],
    ['/dlq/orders/purge', { olderThan: '1d' }],
  ])('POST %s answers 503 standby and changes nothing', async (path, body) => {
    const calls: string[] = [];
    const { url } = await serve(STANDBY, (view) => {
      view.submitOrderJob = async () => (calls.push('order'), { accepted: true, jobId: '1', clientOrderId: 'o-1' });
      view.clearBreak = async () => (calls.push('break'), true);
      view.deadLetterQueues = () => ['orders'];
      view.replayDeadLetters = async () => (calls.push('replay'), { replayed: 0, alreadyReplayed: 0, inProgress: 0, notReplayable: 0, results: [] });
      view.purgeDeadLetters = async () => (calls.push('purge'), []);
    });
    const response = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(await json(response)).toEqual({ status: 503, body: { error: { code: 'standby', message: expect.stringContaining('the active node is node-1') } } });
    expect(calls).toEqual([]);
  });
});
