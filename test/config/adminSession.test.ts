import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { configErrorOf, makeConfigDir } from './configFixture.ts';

const fixture = makeConfigDir();
afterAll(() => fixture.cleanup());

describe('admin.session', () => {
  it('defaults to a 12-hour session and a cookie without Secure', () => {
    expect(loadConfig({ env: {}, cwd: fixture.dir }).admin.session).toEqual({ ttlMs: 43_200_000, secureCookie: false });
  });

  it('takes a file’s values, and defaults what a file leaves out', () => {
    fixture.write('config/local.json', { admin: { session: { secureCookie: true } } });
    try {
      expect(loadConfig({ env: {}, cwd: fixture.dir }).admin.session).toEqual({ ttlMs: 43_200_000, secureCookie: true });
    } finally {
      fixture.write('config/local.json', {});
    }
    expect(loadConfig({ env: {}, cwd: fixture.dir, overrides: { admin: { session: { ttlMs: 3_600_000 } } } }).admin.session.ttlMs).toBe(3_600_000);
  });

  it.each([
    [{ ttlMs: 59_999 }, 'admin.session.ttlMs', /at least 60000/],
    [{ ttlMs: 8 * 24 * 3_600_000 }, 'admin.session.ttlMs', /at most 604800000/],
    [{ ttlMs: 1.5e6 + 0.5 }, 'admin.session.ttlMs', /expected int/],
    [{ ttlMs: '12h' }, 'admin.session.ttlMs', /number/],
    [{ secureCookie: 'yes' }, 'admin.session.secureCookie', /boolean/],
    [{ cookieName: 'x' }, 'admin.session.cookieName', /unknown key/],
  ])('refuses %j, naming %s', (session, path, message) => {
    const error = configErrorOf(() => loadConfig({ env: {}, cwd: fixture.dir, overrides: { admin: { session } as never } }));
    const issue = error.issues.find((candidate) => candidate.path === path);
    expect(issue, JSON.stringify(error.issues)).toBeDefined();
    expect(issue!.problem).toMatch(message);
  });
});
