import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { authorized, makeAdminTestApp, TEST_TOKEN } from './adminTestApp.ts';

let current: ReturnType<typeof makeAdminTestApp>;
const setup = (options?: Parameters<typeof makeAdminTestApp>[0]) => (current = makeAdminTestApp(options));
afterEach(() => current?.app.close());

const REFUSAL = {
  error: { code: 'credentials_in_query', message: 'credentials are not accepted in the query string (URLs get logged); send them as Authorization: Bearer <token>' },
};

describe('credentials in the query string', () => {
  it.each([
    ['GET', '/actors?token=SECRET'],
    ['GET', '/ready?access_token=SECRET'],
    ['GET', '/metrics?x=1&api_key=SECRET'],
    ['GET', '/health?Password=SECRET'],
    ['POST', '/actors/root/events?access_token=SECRET'],
    ['POST', '/actors/root/events?acc%65ss_token=SECRET'],
    ['POST', '/orders?token=SECRET'],
    ['DELETE', '/no/such/route?token=SECRET'],
  ] as const)('%s %s is refused with 401 even with the right bearer token, and the secret is logged nowhere', async (method, url) => {
    const { view, logs } = setup();
    const response = await current.app.inject({ method, url: url.replace('SECRET', TEST_TOKEN), headers: authorized, ...(method === 'POST' ? { payload: { type: 'X' } } : {}) });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.json()).toEqual(REFUSAL);
    expect(view.delivered).toEqual([]);
    expect(logs.rawLines.length).toBeGreaterThan(0);
    for (const line of logs.rawLines) expect(line).not.toContain(TEST_TOKEN);
    expect(logs.entries.map((entry) => entry.path)).toEqual([expect.stringContaining('=[redacted]')]);
  });

  it('a query without credentials is served as before, and logged as it was sent', async () => {
    const { logs } = setup();
    expect((await current.app.inject({ method: 'GET', url: '/actors?depth=2' })).statusCode).toBe(200);
    // Past authentication: the fake runtime runs no orders.
    expect((await current.app.inject({ method: 'POST', url: '/orders?trace=1', headers: authorized, payload: {} })).statusCode).toBe(503);
    expect(logs.entries.map((entry) => entry.path)).toEqual(['/actors?depth=2', '/orders?trace=1']);
  });

  it('is refused when mutations are disabled too (no token configured)', async () => {
    setup({ token: null });
    const response = await current.app.inject({ method: 'GET', url: `/actors?token=${TEST_TOKEN}` });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(REFUSAL);
  });

  it('whatever the credential name and value, it is refused and never reaches a log line', async () => {
    const name = fc.constantFrom('token', 'access_token', 'TOKEN', 'id_token', 'apikey', 'api-key', 'password', 'secret', 'auth', 'authorization', 'key', 'jwt', 'sig');
    const value = fc.stringMatching(/^[A-Za-z0-9._~-]{12,40}$/);
    const others = fc.array(fc.constantFrom('a=1', 'depth=2', 'x', 'trace=on'), { maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(name, value, others, fc.constantFrom('GET', 'POST'), async (key, secret, rest, method) => {
        const { logs } = setup();
        const query = [...rest, `${key}=${secret}`, ...rest].join('&');
        const response = await current.app.inject({ method, url: `/actors/root/events?${query}`, headers: authorized, ...(method === 'POST' ? { payload: { type: 'X' } } : {}) });
        expect(response.statusCode).toBe(401);
        for (const line of logs.rawLines) expect(line).not.toContain(secret);
        await current.app.close();
      }),
      { numRuns: 60 },
    );
  });
});
