import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActorNode } from '../../src/admin/runtimeView.ts';
import { OrderAuditTrail } from '../../src/audit/index.ts';
import type { Config } from '../../src/config/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { ORDER_QUEUE_NAME } from '../../src/orders/schema/index.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { REPORTS_QUEUE_NAME } from '../../src/regulatory/pipeline/reportJob.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { openStream, type OpenStream } from '../events/sseClient.ts';
import { workerMachine } from '../supervision/helpers.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { testNodeConfig } from '../support/testNodeConfig.ts';
import { waitUntil } from '../support/waitUntil.ts';

// A namespace of its own on the shared Redis; the embedded simulator as the gateway.
const NAMESPACE = `panels-${randomBytes(3).toString('hex')}`;
const TOKEN = 'panel-routes-e2e-operator-token';
const keys = namespaceKeys(NAMESPACE);
const reportDirs = mkdtempSync(path.join(tmpdir(), 'tradewire-panels-'));
let main: MainProcess;
let config: Config;
let redis: Redis;
const streams: OpenStream[] = [];

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  await deleteByPrefix(redis, `${NAMESPACE}:`);
  config = testNodeConfig({ namespace: NAMESPACE, reportDir: reportDirs, admin: { token: TOKEN } });
  main = await startMainProcess(config, createSilentLogger(), { capabilities: ['broker', 'orders', 'reports'] });
  await main.orders!.service.whenTakingJobs();
}, 30_000);
afterAll(async () => {
  for (const stream of streams) stream.close();
  await main?.stop();
  await deleteByPrefix(redis, `${NAMESPACE}:`);
  redis?.disconnect();
  rmSync(reportDirs, { recursive: true, force: true });
});

const bearer = { authorization: `Bearer ${TOKEN}` };
const read = async <T>(url: string): Promise<T> => {
  const response = await fetch(`${main.admin.url}${url}`);
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
};
const post = (url: string, body: unknown, headers: Record<string, string> = bearer) =>
  fetch(`${main.admin.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the panels’ read routes over a running node and the simulator', () => {
  it('GET /connections: the active node and its IB connection, connected to the simulator as a PAPER account', async () => {
    type Connections = { node: { role: string; nodeId: string; namespace: string; fencingToken: number | null }; connections: Record<string, unknown>[] };
    await waitUntil(async () => (await read<Connections>('/connections')).connections[0]?.health === 'healthy', 'the ib connection healthy', 10_000);
    const { node, connections } = await read<Connections>('/connections');
    expect(node).toMatchObject({ role: 'active', nodeId: main.nodeId, namespace: NAMESPACE, fencingToken: expect.any(Number) });
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({
      id: 'ib',
      gateway: { host: '127.0.0.1', port: main.config.broker.sim.port },
      clientId: config.broker.ib.clientId,
      accounts: ['DU1234567'],
      accountType: 'PAPER',
      health: 'healthy',
      state: 'connected',
      lastError: null,
      breaker: { state: 'closed' },
      pacing: { ratePerSecond: config.broker.connection.pacing.ratePerSecond, burst: config.broker.connection.pacing.burst, queued: expect.any(Number) },
    });
  });

  it('GET /halt follows POST /halt and POST /resume', async () => {
    expect(await read('/halt')).toEqual({ halted: false, causes: [] });
    expect((await post('/halt', { reason: 'panel test', operator: 'ops' })).status).toBe(200);
    const halted = await read<{ halted: boolean; causes: { cause: string; reason: string; who: string; since: string }[] }>('/halt');
    expect(halted).toEqual({ halted: true, causes: [{ cause: 'operator', reason: expect.stringMatching(/panel test$/), who: 'ops', since: expect.any(String) }] });
    expect((await post('/resume', { reason: 'panel test done' })).status).toBe(200);
    expect(await read('/halt')).toEqual({ halted: false, causes: [] });
  });

  it('GET /dlq and /dlq/orders list a bad job’s dead letter with its reason', async () => {
    const orders = new Queue(ORDER_QUEUE_NAME, { connection: redis, prefix: keys.bullPrefix });
    const job = await orders.add('garbage', { marker: 'panels' });
    await orders.close();
    type Letters = { queue: string; deadLetters: { id: string; jobId: string; kind: string; reason: string; replayable: boolean; replayedAt: string | null; data: unknown }[] };
    await waitUntil(async () => (await read<Letters>('/dlq/orders')).deadLetters.length === 1, 'the dead letter', 10_000);
    const { deadLetters } = await read<Letters>('/dlq/orders?limit=10');
    expect(deadLetters[0]).toMatchObject({ id: `orders:dead:${job.id}`, jobId: job.id, kind: 'unrecoverable', replayable: true, replayedAt: null, data: { marker: 'panels' } });
    expect(deadLetters[0]!.reason).toMatch(/clientOrderId/);
    const { queues } = await read<{ queues: { name: string; dead: number; counts: Record<string, number> }[] }>('/dlq');
    expect(queues.map((queue) => queue.name)).toEqual(['orders', 'reports', 'regulatory-close']);
    expect(queues[0]).toMatchObject({ name: 'orders', dead: 1, counts: { waiting: 0, active: 0, failed: 0 } });
  });

  it('GET /reports: the next deadline, a filing that went to the dead letters, and the transport’s health', async () => {
    const reports = new Queue(REPORTS_QUEUE_NAME, { connection: redis, prefix: keys.bullPrefix });
    // Put straight on the queue (intake would refuse it): tradewire files nothing with the NFA, so the worker dead-letters it.
    await reports.add('report', { jurisdiction: 'NFA', type: 'large-trader', reportDate: '2026-12-04', deadline: '2026-12-07T14:00:00Z' }, { jobId: 'nfa-1', attempts: 1 });
    await reports.close();
    type Reports = { nextDeadline: { report: string; due: string } | null; filings: { id: string; report: string; date: string; status: string }[]; transports: unknown[] };
    await waitUntil(async () => (await read<Reports>('/reports')).filings.some((filing) => filing.status === 'dead'), 'the NFA filing dead-lettered', 10_000);
    const view = await read<Reports>('/reports');
    expect(view.filings).toEqual([{ id: 'nfa-1', report: 'NFA large-trader', date: '2026-12-04', status: 'dead', filedAt: null, acknowledgement: null }]);
    expect(view.nextDeadline).toEqual({ report: expect.stringMatching(/^CFTC large-trader \d{4}-\d{2}-\d{2} \(next day close\)$/), due: expect.any(String) });
    expect(Date.parse(view.nextDeadline!.due)).toBeGreaterThan(Date.now());
    expect(view.transports).toEqual([{ name: 'CFTC (file)', health: 'healthy', lastError: null }]);
  });

  it('POST /audit/verify: the trail checks out, its records counted', async () => {
    const response = await post('/audit/verify', {});
    expect(response.status).toBe(200);
    const report = (await response.json()) as { ok: boolean; records: number; problems: unknown[]; from: null; to: null };
    expect(report).toEqual({ ok: true, records: expect.any(Number), problems: [], from: null, to: null });
    // At least the halt, the resume and the requests that carried them.
    expect(report.records).toBeGreaterThanOrEqual(4);
  });

  it('a console session: its login, and a halt made with its cookie and CSRF token, are in the trail as such', async () => {
    const login = await post('/session', { token: TOKEN }, {});
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    expect((await post('/halt', { reason: 'from the console' }, { cookie })).status).toBe(403);
    const halted = await post('/halt', { reason: 'from the console' }, { cookie, 'x-csrf-token': csrfToken });
    expect(halted.status).toBe(200);
    const requestId = halted.headers.get('x-request-id');
    expect((await post('/resume', { reason: 'console done' }, { cookie, 'x-csrf-token': csrfToken })).status).toBe(200);
    const trail = new OrderAuditTrail(redis, { key: keys.auditStream(config.audit.streamKey) });
    await waitUntil(async () => (await trail.readRange({ limit: 1_000 })).some((entry) => (entry.record as { requestId?: string }).requestId === requestId && entry.record.kind === 'adminRequest'), 'the halt request in the trail');
    const records = (await trail.readRange({ limit: 1_000 })).map((entry) => entry.record as unknown as Record<string, unknown>);
    expect(records.filter((record) => record.kind === 'adminSession')).toEqual([expect.objectContaining({ event: 'login', role: 'operator', actor: 'admin' })]);
    expect(records.find((record) => record.kind === 'adminRequest' && record.requestId === requestId)).toMatchObject({ route: '/halt', role: 'operator', via: 'session', statusCode: 200 });
    expect(JSON.stringify(records)).not.toContain(TOKEN);
  });

  it('GET /actors/stream: the tree on connect, then a supervision event and a new tree when an actor restarts', async () => {
    const stream = await openStream(`${main.admin.url}/actors/stream`);
    streams.push(stream);
    expect(stream.status).toBe(200);
    const messages = () => stream.parsed().messages.map(({ event, data }) => ({ event, data: JSON.parse(data) as unknown }));
    await waitUntil(() => messages().length >= 1, 'the tree on connect');
    const first = messages()[0]!;
    expect(first.event).toBe('tree');
    expect((first.data as ActorNode).systemId).toBe(main.runtime.tree.rootId);

    main.runtime.tree.startChild(main.runtime.tree.rootId, { id: 'panel-worker', logic: workerMachine });
    await waitUntil(() => main.runtime.tree.get('panel-worker') !== undefined, 'the worker running');
    main.runtime.tree.send('panel-worker', { type: 'crash' });
    const workerIn = (tree: ActorNode): ActorNode | undefined => tree.children.find((child) => child.systemId === 'panel-worker');
    await waitUntil(
      () => messages().some(({ event, data }) => event === 'tree' && (workerIn(data as ActorNode)?.restarts ?? 0) >= 1 && workerIn(data as ActorNode)?.status === 'running'),
      'a tree with the worker restarted',
      10_000,
    );
    const supervision = messages().filter(({ event }) => event === 'supervision').map(({ data }) => data as { kind: string; systemId: string });
    expect(supervision.filter((event) => event.systemId === 'panel-worker').map((event) => event.kind)).toEqual(['started', 'stopped', 'restart']);
    main.runtime.tree.terminateChild(main.runtime.tree.rootId, 'panel-worker');
  });

  it('serves Bull Board with the namespace’s queues and dead-letter queues, read-only', async () => {
    const board = await read<{ queues: { name: string; readOnlyMode: boolean }[] }>('/queues/api/queues');
    expect(board.queues.map((queue) => queue.name)).toEqual(['orders', 'reports', 'regulatory-close', 'fills', 'orders:dead', 'reports:dead', 'regulatory-close:dead']);
    expect(board.queues.every((queue) => queue.readOnlyMode)).toBe(true);
  });
});
