import { afterEach, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from '../../src/admin/index.ts';
import { AdminTokenConfigError } from '../../src/admin/adminTokens.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { createMemoryLogger } from './memoryLogger.ts';
import { FakeRuntimeView } from './fakeRuntimeView.ts';
import { unusedPort } from '../cli/liveServer.ts';

const OPERATOR = 'operator-token-abcdef';
const READER = 'reader-token-123456';

let server: AdminServer | undefined;
let view: FakeRuntimeView;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A real server; `host` is where it binds, the requests always go to loopback (a wildcard bind takes them too). */
async function serve(options: { host?: string; token?: string; readToken?: string }) {
  view = new FakeRuntimeView();
  server = await startAdminServer({ view, port: 0, logger: createSilentLogger(), ...options });
  const base = `http://127.0.0.1:${server.port}`;
  const auth = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
  return {
    get: (path: string, token?: string) => fetch(`${base}${path}`, { headers: auth(token) }),
    inject: (token?: string) =>
      fetch(`${base}/actors/ib-connection/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(token) }, body: JSON.stringify({ type: 'RECONNECT' }) }),
  };
}

const codeOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

describe('roles on loopback: reads open, mutations for the operator token only', () => {
  it('the operator token mutates; the read token gets 403 naming the read-only role; none or a wrong one gets 401', async () => {
    const api = await serve({ token: OPERATOR, readToken: READER });
    expect((await api.inject(OPERATOR)).status).toBe(202);
    const asReader = await api.inject(READER);
    expect(asReader.status).toBe(403);
    expect(await codeOf(asReader)).toEqual({ code: 'forbidden', message: expect.stringMatching(/read-only role \(TRADEWIRE_READ_TOKEN\)/) });
    for (const token of [undefined, 'wrong', `${OPERATOR}x`, READER.slice(0, -1)]) {
      const refused = await api.inject(token);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect(view.delivered).toHaveLength(1);
  });

  it('reads need no token, and any token is accepted on them', async () => {
    const api = await serve({ token: OPERATOR, readToken: READER });
    for (const token of [undefined, READER, OPERATOR, 'wrong']) expect((await api.get('/actors', token)).status).toBe(200);
  });

  it('without an operator token mutations stay off (403), whatever the read token', async () => {
    const api = await serve({ readToken: READER });
    for (const token of [undefined, READER, 'anything']) {
      const response = await api.inject(token);
      expect(response.status).toBe(403);
      expect((await codeOf(response)).code).toBe('mutations_disabled');
    }
    expect(view.delivered).toEqual([]);
  });
});

describe('roles beyond loopback (bound to 0.0.0.0): every read but the probes needs a token', () => {
  it('reads answer 401 without a token or with a wrong one, 200 with either role; probes answer without one', async () => {
    const api = await serve({ host: '0.0.0.0', token: OPERATOR, readToken: READER });
    for (const path of ['/actors', '/metrics']) {
      for (const token of [undefined, 'wrong']) {
        const refused = await api.get(path, token);
        expect(refused.status).toBe(401);
        expect((await codeOf(refused)).code).toBe('unauthorized');
      }
      expect((await api.get(path, READER)).status).toBe(200);
      expect((await api.get(path, OPERATOR)).status).toBe(200);
    }
    expect((await api.get('/health')).status).toBe(200);
    expect((await api.get('/ready')).status).toBe(200);
    expect((await api.get('/active')).status).toBe(200);
    // An unknown route tells an anonymous caller nothing either.
    expect((await api.get('/nope')).status).toBe(401);
  });

  it('mutations: operator 202, read 403, none 401', async () => {
    const api = await serve({ host: '0.0.0.0', token: OPERATOR, readToken: READER });
    expect((await api.inject(OPERATOR)).status).toBe(202);
    expect((await api.inject(READER)).status).toBe(403);
    expect((await api.inject()).status).toBe(401);
    expect(view.delivered).toHaveLength(1);
  });

  it('with no token configured only the probes answer; reads get 403 saying what to configure', async () => {
    const { logger, entries } = createMemoryLogger();
    view = new FakeRuntimeView();
    server = await startAdminServer({ view, port: 0, host: '0.0.0.0', logger });
    const refused = await fetch(`http://127.0.0.1:${server.port}/actors`);
    expect(refused.status).toBe(403);
    expect(await codeOf(refused)).toEqual({ code: 'reads_disabled', message: expect.stringContaining('TRADEWIRE_READ_TOKEN') });
    expect((await fetch(`http://127.0.0.1:${server.port}/health`)).status).toBe(200);
    expect(entries).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('without any token') }));
  });

  it('the read token alone opens reads, never mutations', async () => {
    const api = await serve({ host: '0.0.0.0', readToken: READER });
    expect((await api.get('/actors', READER)).status).toBe(200);
    expect((await api.inject(READER)).status).toBe(403);
  });
});

describe('a read token equal to the operator token', () => {
  it('is refused at server start with a clear error, and nothing listens', async () => {
    const port = await unusedPort();
    const starting = startAdminServer({ view: new FakeRuntimeView(), port, token: OPERATOR, readToken: OPERATOR, logger: createSilentLogger() });
    await expect(starting).rejects.toBeInstanceOf(AdminTokenConfigError);
    await expect(starting).rejects.toThrow(/admin\.readToken \(TRADEWIRE_READ_TOKEN\) must differ from admin\.token \(TRADEWIRE_ADMIN_TOKEN\)/);
    await expect(starting).rejects.not.toThrow(new RegExp(OPERATOR));
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
