import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { startAdminServer } from '../../src/admin/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { CONSOLE_FIXTURE, makeAdminTestApp, TEST_TOKEN } from './adminTestApp.ts';
import { FakeRuntimeView } from './fakeRuntimeView.ts';

const { app } = makeAdminTestApp();
afterAll(() => app.close());

const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((name) => !['content-length', 'transfer-encoding', 'host'].includes(name));

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
  path: fc.oneof(
    fc.constantFrom('/health', '/ready', '/actors', '/metrics', '/actors/root/events', '/actors/market-data/events'),
    fc.string({ maxLength: 40 }).map((s) => `/actors/${encodeURIComponent(s)}/events`),
    // light-my-request refuses some raw paths (e.g. with a backslash); the socket test below covers those.
    fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
  ),
  contentType: fc.option(fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', 'multipart/form-data', 'x/y')),
  authorization: fc.option(fc.oneof(fc.constant(`Bearer ${TEST_TOKEN}`), headerValue)),
  requestId: fc.option(headerValue),
  extraHeaders: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
  body: fc.option(
    fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify({ type: 'X', value })),
      fc.record({ type: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    ),
  ),
});

describe('admin API robustness', () => {
  it('random requests never produce a 5xx and always get a request id', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { ...r.extraHeaders };
        if (r.contentType !== null) headers['content-type'] = r.contentType;
        if (r.authorization !== null) headers.authorization = r.authorization;
        if (r.requestId !== null) headers['x-request-id'] = r.requestId;
        const response = await app.inject({ method: r.method, url: r.path, headers, payload: r.body ?? undefined });
        expect(response.statusCode).toBeLessThan(500);
        expect(response.headers['x-request-id']).toBeTruthy();
        if (r.method !== 'HEAD' && response.statusCode >= 400 && response.statusCode !== 503) {
          expect(response.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Sends raw bytes of a path over a real socket, bypassing client-side URL normalisation. */
function rawRequest(port: number, method: string, path: string, body: string | null): Promise<{ status: number; requestId: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ agent: false, host: '127.0.0.1', port, method, path, headers: body === null
          ? {}
          : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), authorization: `Bearer ${TEST_TOKEN}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, requestId: res.headers['x-request-id'] }));
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

describe('admin API robustness over a real socket', () => {
  it('raw printable paths never produce a 5xx', async () => {
    const server = await startAdminServer({ view: new FakeRuntimeView(), port: 0, token: TEST_TOKEN, logger: createSilentLogger(), consoleDir: CONSOLE_FIXTURE });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'POST', 'DELETE'),
          fc.stringMatching(/^\/[\x21-\x7e]{0,40}$/),
          fc.option(fc.string({ maxLength: 100 })),
          async (method, path, body) => {
            const response = await rawRequest(server.port, method, path, body);
            expect(response.status).toBeGreaterThanOrEqual(200);
            expect(response.status).toBeLessThan(500);
            expect(response.requestId).toBeTruthy();
          },
        ),
        { numRuns: 100 },
      );
    } finally {
      await server.close();
    }
  });
});
