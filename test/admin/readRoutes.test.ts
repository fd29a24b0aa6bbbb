import { afterEach, describe, expect, it } from 'vitest';
import { makeAdminTestApp } from './adminTestApp.ts';
import { sampleTree } from './fakeRuntimeView.ts';

let current: ReturnType<typeof makeAdminTestApp>;
const setup = (options?: Parameters<typeof makeAdminTestApp>[0]) => (current = makeAdminTestApp(options));
afterEach(() => current?.app.close());

describe('read routes', () => {
  it('GET /health answers ok without auth', async () => {
    const { app } = setup();
    const response = await app.inject({ url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('GET /ready answers 200 while every permanent child runs, with the node role', async () => {
    const { app } = setup();
    const response = await app.inject({ url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ready: true, role: 'active', reasons: [] });
  });

  it('GET /ready answers 503 with the reasons otherwise', async () => {
    const { app, view } = setup();
    view.readinessState = { ready: false, reasons: ['market-data is restarting'] };
    const response = await app.inject({ url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ ready: false, role: 'active', reasons: ['market-data is restarting'] });
  });

  it('GET /actors returns the actor tree as JSON', async () => {
    const { app } = setup();
    const response = await app.inject({ url: '/actors' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual(sampleTree());
  });

  it('GET /metrics returns Prometheus text with its content type', async () => {
    const { app, view } = setup();
    view.deliver('ib-connection', { type: 'PING' }, { requestId: 'r1' });
    const response = await app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(view.metricsRegistry.contentType);
    expect(response.body).toContain('tradewire_test_injected_events_total 1');
  });

  it('reads need no token on loopback even when one is configured, and work when none is', async () => {
    for (const token of [undefined, null]) {
      const { app } = setup({ token });
      expect((await app.inject({ url: '/actors' })).statusCode).toBe(200);
      await app.close();
    }
  });

  it('unknown routes answer a JSON 404', async () => {
    const { app } = setup();
    const response = await app.inject({ url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /nope' } });
  });
});

describe('request ids', () => {
  it('honours a sane incoming x-request-id', async () => {
    const { app } = setup();
    const response = await app.inject({ url: '/health', headers: { 'x-request-id': 'trace-abc.123:x' } });
    expect(response.headers['x-request-id']).toBe('trace-abc.123:x');
  });

  it.each([['has spaces in it'], ['x'.repeat(129)], ['<script>'], ['']])('replaces an insane one (%s)', async (incoming) => {
    const { app } = setup();
    const response = await app.inject({ url: '/health', headers: { 'x-request-id': incoming } });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generates a distinct id per request, on errors too', async () => {
    const { app } = setup();
    const ids = await Promise.all(['/health', '/nope', '/ready'].map(async (url) => (await app.inject({ url })).headers['x-request-id']));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
