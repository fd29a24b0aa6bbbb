import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../src/admin/buildAdminApp.ts';
import type { AdminRequestRecord, AdminSessionRecord, RuntimeView } from '../../src/admin/runtimeView.ts';
import type { HaltSwitchView } from '../../src/admin/haltSwitchView.ts';
import { OrderAuditTrail } from '../../src/audit/index.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { CONSOLE_FIXTURE } from './adminTestApp.ts';
import { FakeRuntimeView } from './fakeRuntimeView.ts';
import { createMemoryLogger } from './memoryLogger.ts';

const OPERATOR = 'console-operator-token-5f1c2a';
const READER = 'console-read-token-9e8d7c';
const TTL_MS = 60 * 60_000;
const START_MS = Date.parse('2026-12-07T15:00:00Z');

interface World {
  app: FastifyInstance;
  view: FakeRuntimeView;
  logs: ReturnType<typeof createMemoryLogger>;
  clock: { ms: number };
  halts: string[];
  requests: AdminRequestRecord[];
  sessions: AdminSessionRecord[];
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** An admin app over a fake runtime with a halt switch that records who halted, and a clock moved by hand. */
function world(options: { host?: string; secureCookie?: boolean; readToken?: string | null } = {}): World {
  const view = new FakeRuntimeView();
  const logs = createMemoryLogger();
  const clock = { ms: START_MS };
  const halts: string[] = [];
  const requests: AdminRequestRecord[] = [];
  const sessions: AdminSessionRecord[] = [];
  const haltSwitch: HaltSwitchView = {
    causes: () => ({}),
    halt: async (action) => {
      halts.push(action.requestId);
      return { halted: true, causes: ['operator'], auditSeq: halts.length, cancelRequested: 0 };
    },
    resume: async () => ({ resumed: false, code: 'not_halted', message: 'order intake is not halted' }),
  };
  Object.assign(view, {
    haltSwitch,
    auditAdminRequest: async (record: AdminRequestRecord) => void requests.push(record),
    auditAdminSession: async (record: AdminSessionRecord) => void sessions.push(record),
  } satisfies Partial<RuntimeView>);
  const app = buildAdminApp({
    view,
    token: OPERATOR,
    ...(options.readToken === null ? {} : { readToken: options.readToken ?? READER }),
    host: options.host ?? '127.0.0.1',
    logger: logs.logger,
    session: { ttlMs: TTL_MS, secureCookie: options.secureCookie ?? false },
    consoleDir: CONSOLE_FIXTURE,
    now: () => clock.ms,
  });
  apps.push(app);
  return { app, view, logs, clock, halts, requests, sessions };
}

const json = { 'content-type': 'application/json' };

function login(app: FastifyInstance, token: string, remoteAddress = '127.0.0.1') {
  return app.inject({ method: 'POST', url: '/session', headers: json, payload: JSON.stringify({ token }), remoteAddress });
}

/** The cookie a login set, as a browser would send it back. */
function cookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((candidate) => candidate.name === 'tw_session');
  expect(cookie, response.body).toBeDefined();
  return `tw_session=${cookie!.value}`;
}

async function loggedIn(app: FastifyInstance, token = OPERATOR): Promise<{ cookie: string; csrfToken: string }> {
  const response = await login(app, token);
  expect(response.statusCode, response.body).toBe(200);
  return { cookie: cookieOf(response), csrfToken: (response.json() as { csrfToken: string }).csrfToken };
}

const halt = (app: FastifyInstance, headers: Record<string, string>) =>
  app.inject({ method: 'POST', url: '/halt', headers: { ...json, ...headers }, payload: JSON.stringify({ reason: 'from the console' }) });

const errorOf = (response: LightMyRequestResponse) => (response.json() as { error: { code: string; message: string } }).error;

describe('POST /session: the token, once, for an HttpOnly SameSite=Strict cookie', () => {
  it('answers the role, a CSRF token and the end, and sets tw_session HttpOnly, SameSite=Strict, Path=/ (Secure only when configured)', async () => {
    const { app, clock } = world();
    const response = await login(app, OPERATOR);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ role: 'operator', csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresAt: new Date(clock.ms + TTL_MS).toISOString() });
    expect(response.headers['cache-control']).toBe('no-store');
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/^tw_session=[A-Za-z0-9_-]{43}; /);
    expect(header.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict']);

    const secure = world({ secureCookie: true });
    const overHttps = await login(secure.app, READER);
    expect(overHttps.json()).toMatchObject({ role: 'read' });
    expect(String(overHttps.headers['set-cookie']).split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict', 'Secure']);
  });

  it('gives every login a session of its own', async () => {
    const { app } = world();
    const first = await loggedIn(app);
    const second = await loggedIn(app);
    expect(second.cookie).not.toBe(first.cookie);
    expect(second.csrfToken).not.toBe(first.csrfToken);
  });

  it('refuses any wrong token with 401 invalid_token and the same message, setting no cookie', async () => {
    const { app } = world();
    const wrong = fc.oneof(
      fc.string({ minLength: 1, maxLength: 80 }),
      fc.constantFrom(`${OPERATOR}x`, OPERATOR.slice(0, -1), OPERATOR.toUpperCase(), ` ${OPERATOR}`, READER.slice(1), 'Bearer ' + OPERATOR),
    );
    let address = 0;
    await fc.assert(
      fc.asyncProperty(wrong.filter((token) => token !== OPERATOR && token !== READER), async (token) => {
        // Each from an address of its own: the limit on failures is the next test's.
        const response = await login(app, token, `10.0.${(address >> 8) & 255}.${address++ & 255}`);
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({ error: { code: 'invalid_token', message: 'invalid token' } });
        expect(response.headers['set-cookie']).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });

  it('answers a read token the same way when no read token is configured', async () => {
    const { app } = world({ readToken: null });
    const response = await login(app, READER);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'invalid_token', message: 'invalid token' } });
  });

  it('limits failed logins per address: the sixth in a minute is 429 whatever the token, others are unaffected, and it lifts as failures age', async () => {
    const { app, clock, sessions } = world();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await login(app, `guess-${attempt}`, '192.0.2.7')).statusCode).toBe(401);
      clock.ms += 1_000;
    }
    for (const token of ['guess-6', OPERATOR]) {
      const refused = await login(app, token, '192.0.2.7');
      expect(refused.statusCode).toBe(429);
      expect(errorOf(refused).code).toBe('too_many_attempts');
      expect(Number(refused.headers['retry-after'])).toBe(55);
      expect(refused.headers['set-cookie']).toBeUndefined();
    }
    expect((await login(app, OPERATOR, '192.0.2.8')).statusCode).toBe(200);
    // The oldest failure leaves the window: one more try.
    clock.ms += 55_000;
    expect((await login(app, 'guess-7', '192.0.2.7')).statusCode).toBe(401);
    expect((await login(app, OPERATOR, '192.0.2.7')).statusCode).toBe(429);
    clock.ms += 60_000;
    expect((await login(app, OPERATOR, '192.0.2.7')).statusCode).toBe(200);
    // A right token clears the address's failures.
    for (let attempt = 0; attempt < 4; attempt += 1) expect((await login(app, `again-${attempt}`, '192.0.2.7')).statusCode).toBe(401);
    expect((await login(app, OPERATOR, '192.0.2.7')).statusCode).toBe(200);
    expect(sessions.map((record) => record.event)).toEqual(['login', 'login', 'login']);
  });

  it('never echoes or logs the token, right, wrong or in a body that is not JSON', async () => {
    const { app, logs } = world();
    const secretWrong = 'not-the-token-but-secret-4711';
    const answers = [
      await login(app, OPERATOR),
      await login(app, secretWrong),
      await app.inject({ method: 'POST', url: '/session', headers: json, payload: `{"token": ${OPERATOR}}` }),
      await app.inject({ method: 'POST', url: '/session', headers: json, payload: `{"token": "${OPERATOR}", "extra": 1}` }),
      await app.inject({ method: 'POST', url: '/session', headers: json, payload: JSON.stringify({ token: [OPERATOR] }) }),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 401, 400, 400, 400]);
    expect(answers.slice(2).map((answer) => errorOf(answer).code)).toEqual(['invalid_json', 'invalid_body', 'invalid_body']);
    for (const answer of answers) {
      const seen = `${JSON.stringify(answer.headers)} ${answer.body}`;
      expect(seen).not.toContain(OPERATOR);
      expect(seen).not.toContain(secretWrong);
    }
    const logged = logs.rawLines.join('\n');
    expect(logged).toMatch(/console login/);
    expect(logged).toMatch(/console login refused/);
    expect(logged).not.toContain(OPERATOR);
    expect(logged).not.toContain(secretWrong);
  });
});

describe('a session cookie counts as the role that opened it', () => {
  it('reads with it beyond loopback, where reads without credentials answer 401', async () => {
    const { app } = world({ host: '0.0.0.0' });
    const { cookie, csrfToken } = await loggedIn(app, READER);
    expect((await app.inject({ method: 'GET', url: '/actors' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/actors', headers: { cookie: 'tw_session=forged' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/actors', headers: { cookie } })).statusCode).toBe(200);
    const state = await app.inject({ method: 'GET', url: '/session', headers: { cookie } });
    expect(state.json()).toEqual({ authenticated: true, role: 'read', csrfToken, expiresAt: expect.any(String) });
    expect((await app.inject({ method: 'GET', url: '/session' })).json()).toEqual({ authenticated: false, role: null, csrfToken: null, expiresAt: null });
  });

  it('a mutation by cookie without its CSRF token is 403 csrf_required and does nothing', async () => {
    const { app, halts, requests } = world();
    const { cookie, csrfToken } = await loggedIn(app);
    const attempts: Record<string, string>[] = [{ cookie }, { cookie, 'x-csrf-token': 'wrong' }, { cookie, 'x-csrf-token': `${csrfToken}x` }, { cookie, 'x-csrf-token': '' }];
    for (const headers of attempts) {
      const refused = await halt(app, headers);
      expect(refused.statusCode).toBe(403);
      expect(errorOf(refused).code).toBe('csrf_required');
    }
    expect(halts).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('a mutation by cookie with its CSRF token goes through, audited as the operator through a session', async () => {
    const { app, halts, requests } = world();
    const { cookie, csrfToken } = await loggedIn(app);
    const done = await halt(app, { cookie, 'x-csrf-token': csrfToken });
    expect(done.statusCode, done.body).toBe(200);
    expect(halts).toEqual([done.headers['x-request-id']]);
    expect(requests).toEqual([
      {
        method: 'POST',
        route: '/halt',
        requestId: done.headers['x-request-id'],
        role: 'operator',
        bodyDigest: createHash('sha256').update(JSON.stringify({ reason: 'from the console' })).digest('hex'),
        statusCode: 200,
        via: 'session',
      },
    ]);
  });

  it('a bearer token needs no CSRF token, and is audited as before (no via)', async () => {
    const { app, requests } = world();
    const { cookie } = await loggedIn(app);
    const done = await halt(app, { authorization: `Bearer ${OPERATOR}`, cookie });
    expect(done.statusCode).toBe(200);
    expect(requests).toHaveLength(1);
    expect(requests[0]).not.toHaveProperty('via');
  });

  it('a session opened with the read token reads but cannot change anything', async () => {
    const { app, halts } = world();
    const { cookie, csrfToken } = await loggedIn(app, READER);
    expect((await app.inject({ method: 'GET', url: '/actors', headers: { cookie } })).statusCode).toBe(200);
    const refused = await halt(app, { cookie, 'x-csrf-token': csrfToken });
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused)).toEqual({ code: 'forbidden', message: expect.stringMatching(/session was opened with the read-only token/) });
    expect(halts).toEqual([]);
  });

  it('ends after admin.session.ttlMs: the cookie then counts for nothing', async () => {
    const { app, clock, halts } = world({ host: '0.0.0.0' });
    const { cookie, csrfToken } = await loggedIn(app);
    clock.ms += TTL_MS - 1;
    expect((await app.inject({ method: 'GET', url: '/session', headers: { cookie } })).json()).toMatchObject({ authenticated: true });
    clock.ms += 1;
    expect((await app.inject({ method: 'GET', url: '/session', headers: { cookie } })).json()).toEqual({ authenticated: false, role: null, csrfToken: null, expiresAt: null });
    const read = await app.inject({ method: 'GET', url: '/actors', headers: { cookie } });
    expect(read.statusCode).toBe(401);
    expect(errorOf(read).message).toMatch(/session has expired or is unknown/);
    expect((await halt(app, { cookie, 'x-csrf-token': csrfToken })).statusCode).toBe(401);
    expect(halts).toEqual([]);
  });
});

describe('DELETE /session: logging out', () => {
  it('needs the CSRF token, then ends the session, clears the cookie and is audited; the old cookie then counts for nothing', async () => {
    const { app, halts, sessions } = world();
    const { cookie, csrfToken } = await loggedIn(app);
    const refused = await app.inject({ method: 'DELETE', url: '/session', headers: { cookie } });
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused).code).toBe('csrf_required');
    expect((await app.inject({ method: 'GET', url: '/session', headers: { cookie } })).json()).toMatchObject({ authenticated: true });

    const out = await app.inject({ method: 'DELETE', url: '/session', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    const cleared = out.cookies.find((candidate) => candidate.name === 'tw_session');
    expect(cleared).toMatchObject({ value: '', httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cleared!.expires!.getTime()).toBeLessThan(Date.now());
    expect((await app.inject({ method: 'GET', url: '/session', headers: { cookie } })).json()).toMatchObject({ authenticated: false });
    expect((await halt(app, { cookie, 'x-csrf-token': csrfToken })).statusCode).toBe(401);
    expect(halts).toEqual([]);
    expect(sessions.map(({ event, role }) => [event, role])).toEqual([
      ['login', 'operator'],
      ['logout', 'operator'],
    ]);
    expect(sessions.every((record) => typeof record.requestId === 'string')).toBe(true);
    // Without a session there is nothing to end.
    expect((await app.inject({ method: 'DELETE', url: '/session' })).statusCode).toBe(204);
  });
});

describe('the audit records of a console session', () => {
  const redis = new Redis(REDIS_URL);
  const key = `test-admin-session-audit-${process.pid}-${Math.random().toString(36).slice(2)}`;
  afterAll(async () => {
    await deleteByPrefix(redis, key);
    redis.disconnect();
  });

  it('are valid entries of the chained trail: a login, and a request through a session', async () => {
    const trail = new OrderAuditTrail(redis, { key });
    expect((await trail.append({ kind: 'adminSession', actor: 'admin', event: 'login', role: 'read', requestId: 'r-1' })).seq).toBe(1);
    const request = { method: 'POST', route: '/halt', requestId: 'r-2', role: 'operator', bodyDigest: 'a'.repeat(64), statusCode: 200, via: 'session' } as const;
    expect((await trail.append({ kind: 'adminRequest', actor: 'admin', ...request })).seq).toBe(2);
    await expect(trail.append({ kind: 'adminSession', actor: 'admin', event: 'login', role: 'read', requestId: 'r-3', token: OPERATOR } as never)).rejects.toThrow(/token/);
    expect((await trail.verify()).ok).toBe(true);
  });
});
