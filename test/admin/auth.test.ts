import { afterEach, describe, expect, it } from 'vitest';
import { authorized, makeAdminTestApp, TEST_TOKEN } from './adminTestApp.ts';

let current: ReturnType<typeof makeAdminTestApp>;
const setup = (options?: Parameters<typeof makeAdminTestApp>[0]) => (current = makeAdminTestApp(options));
afterEach(() => current?.app.close());

const inject = (headers: Record<string, string>, payload: unknown = { type: 'X' }) =>
  current.app.inject({ method: 'POST', url: '/actors/market-data/events', headers, payload: payload as object });

describe('mutating routes with a token configured', () => {
  it.each([
    ['no Authorization header', {}, 'missing bearer token'],
    ['a wrong token', { authorization: 'Bearer nope' }, 'invalid bearer token'],
    ['a token that is a prefix of the real one', { authorization: `Bearer ${TEST_TOKEN.slice(0, -1)}` }, 'invalid bearer token'],
    ['the real token plus more', { authorization: `Bearer ${TEST_TOKEN}x` }, 'invalid bearer token'],
    ['a Basic scheme', { authorization: `Basic ${TEST_TOKEN}` }, 'missing bearer token'],
    ['an empty bearer', { authorization: 'Bearer ' }, 'missing bearer token'],
  ])('rejects %s with 401 and WWW-Authenticate', async (_label, headers, message) => {
    const { view } = setup();
    const response = await inject(headers);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.json()).toEqual({ error: { code: 'unauthorized', message } });
    expect(view.delivered).toEqual([]);
  });

  it('accepts the right token, with any case of the scheme', async () => {
    setup();
    expect((await inject(authorized)).statusCode).toBe(202);
    expect((await inject({ authorization: `bearer ${TEST_TOKEN}` })).statusCode).toBe(202);
  });

  it('checks the token before reading the body', async () => {
    setup();
    const response = await current.app.inject({
      method: 'POST',
      url: '/actors/root/events',
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(response.statusCode).toBe(401);
  });

  it('guards every non-GET method, even on unknown routes', async () => {
    setup();
    for (const method of ['PUT', 'DELETE', 'PATCH'] as const) {
      expect((await current.app.inject({ method, url: '/actors/root/events' })).statusCode).toBe(401);
    }
  });
});

describe('mutating routes without a token configured', () => {
  it('answer 403 explaining that mutation is disabled, whatever is presented', async () => {
    const { view } = setup({ token: null });
    for (const headers of [{}, { authorization: 'Bearer anything' }, { authorization: 'Bearer ' }] as Record<string, string>[]) {
      const response = await inject(headers);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({
        error: {
          code: 'mutations_disabled',
          message: 'mutating routes are disabled because no TRADEWIRE_ADMIN_TOKEN is configured',
        },
      });
    }
    expect(view.delivered).toEqual([]);
  });
});
