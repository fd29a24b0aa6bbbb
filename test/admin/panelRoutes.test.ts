import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../src/admin/buildAdminApp.ts';
import { registerActorStreamRoute } from '../../src/admin/routes/actorStream.ts';
import { zodValidatorCompiler } from '../../src/admin/requestValidation.ts';
import type { ActorFeedEvent, ActorFeedView, NodeRoleView, RuntimeView } from '../../src/admin/runtimeView.ts';
import type { ConnectionView } from '../../src/admin/schemas/connectionViews.ts';
import type { AuditVerifyRange } from '../../src/admin/schemas/auditVerifyViews.ts';
import type { Every } from '../../src/events/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { openStream, type OpenStream } from '../events/sseClient.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { CONSOLE_FIXTURE } from './adminTestApp.ts';
import { FakeRuntimeView, sampleTree } from './fakeRuntimeView.ts';

const OPERATOR = 'panel-routes-operator-token';
const READER = 'panel-routes-read-token';

const CONNECTION: ConnectionView = {
  id: 'ib',
  gateway: { host: '127.0.0.1', port: 4002 },
  clientId: 7,
  accounts: ['DU1234567'],
  accountType: 'PAPER',
  health: 'healthy',
  state: 'connected',
  dataFarms: [{ name: 'usfarm', ok: true }],
  lastError: null,
  breaker: { state: 'closed' },
  pacing: { ratePerSecond: 45, burst: 10, queued: 0 },
};

/** A feed the test drives: whatever it tells goes to every subscriber. */
class ManualFeed implements ActorFeedView {
  readonly listeners = new Set<(event: ActorFeedEvent) => void>();
  subscribe(listener: (event: ActorFeedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  tell(event: ActorFeedEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

const apps: FastifyInstance[] = [];
const streams: OpenStream[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function app(view: FakeRuntimeView, host = '127.0.0.1'): FastifyInstance {
  const instance = buildAdminApp({ view, token: OPERATOR, readToken: READER, host, logger: createSilentLogger(), consoleDir: CONSOLE_FIXTURE });
  apps.push(instance);
  return instance;
}

const viewWith = (parts: Partial<RuntimeView>) => Object.assign(new FakeRuntimeView(), parts);
const get = (instance: FastifyInstance, url: string, token?: string) => instance.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
const errorCode = (response: { json(): unknown }) => (response.json() as { error: { code: string } }).error.code;

describe('GET /connections', () => {
  it('names the node (from its lease) and lists its connections', async () => {
    const node: NodeRoleView = { role: 'active', namespace: 'ns', nodeId: 'node-a', token: 12, activeNodeId: 'node-a' };
    const response = await get(app(viewWith({ nodeRole: () => node, connections: () => [CONNECTION] })), '/connections');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ node: { role: 'active', nodeId: 'node-a', namespace: 'ns', fencingToken: 12, activeNodeId: 'node-a' }, connections: [CONNECTION] });
  });

  it('lists none on a process without a broker, which counts as the one active node', async () => {
    expect((await get(app(new FakeRuntimeView()), '/connections')).json()).toEqual({
      node: { role: 'active', nodeId: 'local', namespace: 'local', fencingToken: null, activeNodeId: null },
      connections: [],
    });
  });

  it('needs a token beyond loopback, like any read', async () => {
    const instance = app(viewWith({ connections: () => [CONNECTION] }), '0.0.0.0');
    expect((await get(instance, '/connections')).statusCode).toBe(401);
    expect((await get(instance, '/connections', READER)).statusCode).toBe(200);
  });
});

describe('GET /halt', () => {
  it('answers the halt state, or 503 where no order intake runs', async () => {
    const state = { halted: true, causes: [{ cause: 'operator', reason: 'halted by ops: bad data', who: 'ops', since: '2026-12-07T15:00:00.000Z' }] };
    expect((await get(app(viewWith({ haltState: () => state })), '/halt')).json()).toEqual(state);
    const bare = await get(app(new FakeRuntimeView()), '/halt');
    expect(bare.statusCode).toBe(503);
    expect(errorCode(bare)).toBe('halt_switch_unavailable');
  });
});

describe('GET /dlq and /dlq/{queue}', () => {
  const asked: [string, number][] = [];
  const overview = [{ name: 'orders', counts: { waiting: 1, active: 0, delayed: 2, prioritized: 0, completed: 5, failed: 0 }, dead: 1 }];
  const letter = { id: 'orders:dead:9', jobId: '9', kind: 'unrecoverable' as const, reason: 'side: required', deadLetteredAt: '2026-12-07T15:00:00.000Z', attempts: 1, replayedAt: null, replayable: true, data: { clientOrderId: 'x' } };
  const dlqView = () =>
    viewWith({
      deadLetterQueues: () => ['orders', 'reports'],
      deadLetterOverview: async () => overview,
      deadLetterList: async (queue, limit) => {
        asked.push([queue, limit]);
        return [letter];
      },
    });

  it('lists the queues with their counts, and a queue’s dead letters (100 by default, limit up to 500)', async () => {
    const instance = app(dlqView());
    expect((await get(instance, '/dlq')).json()).toEqual({ queues: overview });
    expect((await get(instance, '/dlq/orders')).json()).toEqual({ queue: 'orders', deadLetters: [letter] });
    expect((await get(instance, '/dlq/reports?limit=500')).statusCode).toBe(200);
    expect(asked).toEqual([
      ['orders', 100],
      ['reports', 500],
    ]);
  });

  it('refuses a bad limit (400), a name that is no queue (400) and a queue without dead letters (404)', async () => {
    const instance = app(dlqView());
    for (const limit of ['0', '501', 'x', '1.5']) {
      const response = await get(instance, `/dlq/orders?limit=${limit}`);
      expect(response.statusCode).toBe(400);
      expect(errorCode(response)).toBe('invalid_query');
    }
    const dead = await get(instance, '/dlq/orders:dead');
    expect([dead.statusCode, errorCode(dead)]).toEqual([400, 'invalid_queue']);
    const unknown = await get(instance, '/dlq/fills');
    expect([unknown.statusCode, errorCode(unknown)]).toEqual([404, 'unknown_queue']);
    expect((unknown.json() as { error: { message: string } }).error.message).toMatch(/known: orders, reports/);
  });

  it('answers 503 dead_letters_unavailable without Redis for them', async () => {
    const bare = app(viewWith({ deadLetterQueues: () => ['orders'] }));
    for (const url of ['/dlq', '/dlq/orders']) expect(errorCode(await get(bare, url))).toBe('dead_letters_unavailable');
  });
});

describe('GET /reports', () => {
  it('answers what the runtime reads, or 503 without it', async () => {
    const reports = { nextDeadline: null, filings: [], transports: [{ name: 'CFTC (file)', health: 'unknown', lastError: null }] };
    expect((await get(app(viewWith({ reports: async () => reports })), '/reports')).json()).toEqual(reports);
    expect(errorCode(await get(app(new FakeRuntimeView()), '/reports'))).toBe('reports_unavailable');
  });
});

describe('POST /audit/verify', () => {
  const ranges: AuditVerifyRange[] = [];
  const auditView = () => viewWith({ verifyAudit: async (range) => (ranges.push(range), { ok: false, records: 3, problems: [{ seq: 2, kind: 'changed', message: 'seq 2 was changed' }] }) });
  const verify = (instance: FastifyInstance, body: unknown, token: string | null = OPERATOR) =>
    instance.inject({ method: 'POST', url: '/audit/verify', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, payload: JSON.stringify(body) });

  it('verifies the whole trail or a range, answering the range it checked', async () => {
    const instance = app(auditView());
    const whole = await verify(instance, {});
    expect(whole.json()).toEqual({ ok: false, records: 3, problems: [{ seq: 2, kind: 'changed', message: 'seq 2 was changed' }], from: null, to: null });
    const ranged = await verify(instance, { from: '2026-12-07T10:00:00+01:00', to: '2026-12-07T15:00:00Z' });
    expect(ranged.json()).toMatchObject({ from: '2026-12-07T09:00:00.000Z', to: '2026-12-07T15:00:00.000Z' });
    expect(ranges).toEqual([{}, { fromMs: Date.parse('2026-12-07T09:00:00Z'), toMs: Date.parse('2026-12-07T15:00:00Z') }]);
  });

  it('refuses a range that is not one, naming the field', async () => {
    const instance = app(auditView());
    for (const [body, field] of [
      [{ from: 'yesterday' }, 'from'],
      [{ from: '2026-12-08T00:00:00Z', to: '2026-12-07T00:00:00Z' }, 'from'],
      [{ until: '2026-12-07T00:00:00Z' }, 'until'],
    ] as const) {
      const response = await verify(instance, body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_body', fields: [expect.objectContaining({ field })] } });
    }
  });

  it('is the operator’s: 401 without a token, 403 with the read token; 503 without an audit trail', async () => {
    const instance = app(auditView());
    expect((await verify(instance, {}, null)).statusCode).toBe(401);
    expect((await verify(instance, {}, READER)).statusCode).toBe(403);
    expect(errorCode(await verify(app(new FakeRuntimeView()), {}))).toBe('audit_unavailable');
  });
});

describe('GET /positions and /prices: what the panels add', () => {
  const row = { account: 'DU1234567', symbol: 'ES', contractMonth: '202703', broker: 1, internal: 1, difference: 0, break: null };
  const price = { symbol: 'ES', contractMonth: '202703', bid: 1, ask: 2, last: 1.5, price: 1.5, confidence: 0, sources: 1, updatedAt: null, ageMs: null };

  it('passes on each row’s limit, reportable level and rejects', async () => {
    const instance = app(
      viewWith({
        positions: async () => ({ asOf: '2026-12-07T15:00:00.000Z', positions: [{ ...row, limit: 20, reportableLevel: 1000, reportable: false }], breaks: [] }),
        prices: () => ({ prices: [{ ...price, rejects: { crossed: 3, spike: 1 } }] }),
      }),
    );
    expect((await get(instance, '/positions')).json()).toMatchObject({ positions: [{ limit: 20, reportableLevel: 1000, reportable: false }] });
    expect((await get(instance, '/prices')).json()).toMatchObject({ prices: [{ rejects: { crossed: 3, spike: 1 } }] });
  });

  it('fills them in as unknown when the runtime does not say', async () => {
    const instance = app(viewWith({ positions: async () => ({ asOf: '2026-12-07T15:00:00.000Z', positions: [row], breaks: [] }), prices: () => ({ prices: [price] }) }));
    expect((await get(instance, '/positions')).json()).toMatchObject({ positions: [{ ...row, limit: null, reportableLevel: null, reportable: false }] });
    expect((await get(instance, '/prices')).json()).toMatchObject({ prices: [{ ...price, rejects: {} }] });
  });
});

describe('GET /actors/stream', () => {
  async function serve(view: FakeRuntimeView, every?: Every): Promise<string> {
    // The route alone, with the admin API's compilers: its keepalive timer is the test's.
    const instance = Fastify();
    instance.setValidatorCompiler(zodValidatorCompiler);
    instance.setSerializerCompiler(serializerCompiler);
    registerActorStreamRoute(instance, view, createSilentLogger(), every ? { every } : {});
    apps.push(instance);
    await instance.listen({ host: '127.0.0.1', port: 0 });
    return `http://127.0.0.1:${(instance.server.address() as { port: number }).port}/actors/stream`;
  }
  const open = async (url: string) => {
    const stream = await openStream(url);
    streams.push(stream);
    return stream;
  };
  const messages = (stream: OpenStream) => stream.parsed().messages.map(({ event, data }) => ({ event, data: JSON.parse(data) as unknown }));

  it('sends the tree on connect, then each tree and supervision event the feed tells, until the client leaves', async () => {
    const feed = new ManualFeed();
    const view = viewWith({ actorFeed: feed });
    const stream = await open(await serve(view));
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await waitUntil(() => messages(stream).length === 1, 'the tree on connect');
    expect(messages(stream)).toEqual([{ event: 'tree', data: sampleTree() }]);

    const changed = { ...sampleTree(), children: [] };
    const restart = { kind: 'restart' as const, systemId: 'market-data', at: '2026-12-07T15:00:00.000Z', detail: 'under root' };
    feed.tell({ type: 'supervision', event: restart });
    feed.tell({ type: 'tree', tree: changed });
    await waitUntil(() => messages(stream).length === 3, 'the two events');
    expect(messages(stream).slice(1)).toEqual([
      { event: 'supervision', data: restart },
      { event: 'tree', data: changed },
    ]);
    stream.close();
    await waitUntil(() => feed.listeners.size === 0, 'the feed unsubscribed');
  });

  it('sends a keepalive comment on each tick of its timer', async () => {
    const ticks: (() => void)[] = [];
    const every: Every = (tick) => {
      ticks.push(tick);
      return () => ticks.splice(ticks.indexOf(tick), 1);
    };
    const stream = await open(await serve(viewWith({ actorFeed: new ManualFeed() }), every));
    await waitUntil(() => ticks.length === 1, 'the keepalive timer');
    ticks[0]!();
    ticks[0]!();
    await waitUntil(() => stream.parsed().comments.length === 2, 'two keepalives');
    expect(stream.parsed().comments).toEqual(['keepalive', 'keepalive']);
    stream.close();
    await waitUntil(() => ticks.length === 0, 'the timer stopped');
  });

  it('ends open streams when the server closes, and answers 503 without a feed', async () => {
    const feed = new ManualFeed();
    const withFeed = buildAdminApp({ view: viewWith({ actorFeed: feed }), logger: createSilentLogger(), consoleDir: CONSOLE_FIXTURE });
    await withFeed.listen({ host: '127.0.0.1', port: 0 });
    const stream = await openStream(`http://127.0.0.1:${(withFeed.server.address() as { port: number }).port}/actors/stream`);
    await waitUntil(() => feed.listeners.size === 1, 'subscribed');
    await withFeed.close();
    await stream.ended;
    expect(feed.listeners.size).toBe(0);

    const bare = await get(app(new FakeRuntimeView()), '/actors/stream');
    expect([bare.statusCode, errorCode(bare)]).toEqual([503, 'actor_stream_unavailable']);
  });
});
