import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../src/admin/buildAdminApp.ts';
import { CONSOLE_CSP, DEFAULT_CONSOLE_DIR } from '../../src/admin/routes/console.ts';
import { FakeRuntimeView } from './fakeRuntimeView.ts';
import { createMemoryLogger } from './memoryLogger.ts';

const TOKEN = 'console-static-token-31415';
const INDEX = '<!doctype html><html><head><link rel="stylesheet" href="/console/app.css"></head><body><script src="/console/app.js"></script></body></html>';

const built = mkdtempSync(path.join(tmpdir(), 'tradewire-console-'));
writeFileSync(path.join(built, 'index.html'), INDEX);
writeFileSync(path.join(built, 'app.js'), 'console.log("console");\n');
writeFileSync(path.join(built, 'app.css'), 'body { margin: 0 }\n');
mkdirSync(path.join(built, 'fonts'));
writeFileSync(path.join(built, 'fonts', 'plex.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
const missing = path.join(built, 'not-built');
afterAll(() => rmSync(built, { recursive: true, force: true }));

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function app(consoleDir: string, host = '127.0.0.1'): FastifyInstance {
  const instance = buildAdminApp({ view: new FakeRuntimeView(), token: TOKEN, host, logger: createMemoryLogger().logger, consoleDir });
  apps.push(instance);
  return instance;
}

describe('the console at / and /console/*', () => {
  it('serves index.html at / with the console policy: nothing from another host, no framing', async () => {
    const response = await app(built).inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toBe(INDEX);
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
    );
    expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it.each([
    ['/console/app.js', /javascript/, 'console.log("console");\n'],
    ['/console/app.css', /^text\/css/, 'body { margin: 0 }\n'],
    ['/console/fonts/plex.woff2', /font\/woff2/, 'wOF2'],
  ])('serves %s with its type and the same policy', async (url, type, body) => {
    const response = await app(built).inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(type);
    expect(response.body).toBe(body);
    expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
  });

  it('answers 404 for an asset that is not there, and never serves outside the console directory', async () => {
    const instance = app(path.join(built, 'fonts'));
    for (const url of ['/console/nope.js', '/console/../app.js', '/console/%2e%2e/app.js', '/console/..%2fapp.js']) {
      const response = await instance.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).not.toContain('console.log');
    }
  });

  it('loads without credentials even where reads need a token (it shows the login form); the API behind it does not', async () => {
    const instance = app(built, '0.0.0.0');
    expect((await instance.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    expect((await instance.inject({ method: 'GET', url: '/console/app.js' })).statusCode).toBe(200);
    expect((await instance.inject({ method: 'GET', url: '/actors' })).statusCode).toBe(401);
    expect((await instance.inject({ method: 'GET', url: '/session' })).json()).toMatchObject({ authenticated: false });
  });

  it('answers 503 console_not_built naming npm run build when the console was not built', async () => {
    const response = await app(missing).inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ error: { code: 'console_not_built', message: expect.stringMatching(/npm run build/) } });
    expect((await app(missing).inject({ method: 'GET', url: '/console/app.js' })).statusCode).toBe(404);
  });

  it('looks for the build in the package’s dist/console by default', () => {
    expect(DEFAULT_CONSOLE_DIR).toBe(path.resolve(import.meta.dirname, '../../dist/console') + path.sep);
  });
});
