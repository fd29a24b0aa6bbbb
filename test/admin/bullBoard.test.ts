import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../src/admin/buildAdminApp.ts';
import type { BoardQueue, RuntimeView } from '../../src/admin/runtimeView.ts';
import { deadLetterPrefix } from '../../src/queues/index.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { CONSOLE_FIXTURE } from './adminTestApp.ts';
import { FakeRuntimeView } from './fakeRuntimeView.ts';
import { createMemoryLogger } from './memoryLogger.ts';

const OPERATOR = 'bull-board-operator-token-2718';
const READER = 'bull-board-read-token-1618';
const NAMESPACE = `test-board-${randomBytes(4).toString('hex')}`;
const prefix = namespaceKeys(NAMESPACE).bullPrefix;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const orders = new Queue('orders', { connection: redis, prefix });
const ordersDead = new Queue('dead', { connection: redis, prefix: deadLetterPrefix(prefix, 'orders') });
const queues: BoardQueue[] = [{ queue: orders }, { queue: ordersDead, deadLetterOf: 'orders' }];

beforeAll(async () => {
  await orders.add('order', { clientOrderId: 'board-1' }, { jobId: 'board-1', delay: 3_600_000 });
  await ordersDead.add('dead', { id: 'orders:dead:7', reason: 'quantity: required' }, { jobId: 'orders-7' });
});
afterAll(async () => {
  await Promise.all([orders.close(), ordersDead.close()]);
  await deleteByPrefix(redis, `${NAMESPACE}:`);
  redis.disconnect();
});

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function board(host = '127.0.0.1'): FastifyInstance {
  const view = Object.assign(new FakeRuntimeView(), { boardQueues: () => queues } satisfies Partial<RuntimeView>);
  const app = buildAdminApp({ view, token: OPERATOR, readToken: READER, host, logger: createMemoryLogger().logger, consoleDir: CONSOLE_FIXTURE });
  apps.push(app);
  return app;
}

/** Any URL naming another host: a page that loads one is not self-contained. */
const FOREIGN = /(?:https?:)?\/\/(?!localhost[:/])[a-z0-9.-]+\.[a-z]{2,}/i;

describe('Bull Board at /queues', () => {
  it('is mounted: its page, under its base path, with a policy that allows nothing from another host', async () => {
    const page = await board().inject({ method: 'GET', url: '/queues' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<base href="/queues/"');
    expect(page.body).toContain('tradewire queues');
    const policy = String(page.headers['content-security-policy']);
    const sources = policy.split(';').flatMap((directive) => directive.trim().split(/\s+/).slice(1));
    expect(sources.every((source) => ["'self'", "'none'", "'unsafe-inline'", 'data:'].includes(source)), policy).toBe(true);
    expect(policy).toMatch(/frame-ancestors 'none'/);
  });

  it('serves every asset its page loads itself, and the page names no other host', async () => {
    const app = board();
    const page = await app.inject({ method: 'GET', url: '/queues/' });
    expect(page.body).not.toMatch(FOREIGN);
    const assets = [...page.body.matchAll(/\s(?:src|href)="([^"]+)"/g)].map(([, url]) => url!).filter((url) => url !== '/queues/');
    expect(assets.filter((url) => url.endsWith('.js')).length).toBeGreaterThanOrEqual(2);
    expect(assets.filter((url) => url.endsWith('.css')).length).toBeGreaterThanOrEqual(1);
    for (const asset of assets) {
      const response = await app.inject({ method: 'GET', url: new URL(asset, 'http://localhost/queues/').pathname });
      expect(response.statusCode, asset).toBe(200);
      if (asset.endsWith('.css')) expect(response.body, asset).not.toMatch(/@import\s+url\(\s*["']?(https?:)?\/\//);
    }
  });

  it('shows every queue it is given, dead-letter queues by their tradewire name, all read-only', async () => {
    const response = await board().inject({ method: 'GET', url: '/queues/api/queues?activeQueue=orders&status=delayed' });
    expect(response.statusCode, response.body).toBe(200);
    const listed = (response.json() as { queues: { name: string; readOnlyMode: boolean; allowRetries: boolean; counts: Record<string, number>; jobs: { id: string }[] }[] }).queues;
    expect(listed.map((queue) => queue.name)).toEqual(['orders', 'orders:dead']);
    expect(listed.every((queue) => queue.readOnlyMode && !queue.allowRetries)).toBe(true);
    expect(listed[0]!.counts.delayed).toBe(1);
    expect(listed[0]!.jobs.map((job) => job.id)).toEqual(['board-1']);
    expect(listed[1]!.counts.waiting).toBe(1);
  });

  it('refuses anything but a read, even with the operator token: the queues stay as they were', async () => {
    const app = board();
    const changes: [string, string][] = [
      ['PUT', '/queues/api/queues/orders/pause'],
      ['PUT', '/queues/api/queues/orders/empty'],
      ['PUT', '/queues/api/queues/orders/board-1/promote'],
      ['PUT', '/queues/api/queues/orders%3Adead/orders-7/retry'],
      ['PUT', '/queues/api/queues/orders/obliterate'],
      ['POST', '/queues/api/queues/orders/add'],
    ];
    for (const [method, url] of changes) {
      const response = await app.inject({ method: method as 'PUT', url, headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' }, payload: '{}' });
      expect(response.statusCode, `${method} ${url}`).toBe(405);
      expect(response.json()).toMatchObject({ error: { code: 'read_only' } });
      expect((await app.inject({ method: method as 'PUT', url, headers: { authorization: `Bearer ${READER}` }, payload: '{}' })).statusCode).toBe(403);
    }
    expect(await orders.isPaused()).toBe(false);
    expect(await orders.getJobCounts('delayed', 'waiting')).toEqual({ delayed: 1, waiting: 0 });
    expect(await ordersDead.getJobCountByTypes('waiting')).toBe(1);
  });

  it('is behind the same authentication as any read: beyond loopback a token or a session is needed', async () => {
    const app = board('0.0.0.0');
    for (const url of ['/queues', '/queues/api/queues']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
      expect((await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${READER}` } })).statusCode, url).toBe(200);
    }
    const login = await app.inject({ method: 'POST', url: '/session', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token: READER }) });
    const cookie = `tw_session=${login.cookies.find((candidate) => candidate.name === 'tw_session')!.value}`;
    expect((await app.inject({ method: 'GET', url: '/queues/api/queues', headers: { cookie } })).statusCode).toBe(200);
  });
});
