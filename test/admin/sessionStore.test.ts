import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoginAttempts } from '../../src/admin/session/loginAttempts.ts';
import { SessionStore } from '../../src/admin/session/sessionStore.ts';

describe('SessionStore', () => {
  it('finds a session by its id until its end, then forgets it', () => {
    const clock = { ms: 1_000 };
    const store = new SessionStore({ ttlMs: 500, now: () => clock.ms });
    const { id, session } = store.create('operator');
    expect(session).toEqual({ role: 'operator', csrfToken: expect.any(String), expiresAtMs: 1_500 });
    expect(store.find(id)).toBe(session);
    expect(store.find(`${id}x`)).toBeNull();
    expect(store.find(undefined)).toBeNull();
    expect(store.find('')).toBeNull();
    clock.ms = 1_499;
    expect(store.find(id)).toBe(session);
    clock.ms = 1_500;
    expect(store.find(id)).toBeNull();
    clock.ms = 1_000;
    expect(store.find(id)).toBeNull();
  });

  it('ends a session on delete, and keeps at most maxSessions (the oldest go first)', () => {
    const store = new SessionStore({ ttlMs: 60_000, maxSessions: 3 });
    const ids = Array.from({ length: 5 }, () => store.create('read').id);
    expect(ids.map((id) => store.find(id) !== null)).toEqual([false, false, true, true, true]);
    expect(store.delete(ids[4]!)).toBe(true);
    expect(store.delete(ids[4]!)).toBe(false);
    expect(store.find(ids[4]!)).toBeNull();
  });

  it('gives unguessable ids and CSRF tokens: 32 random bytes each, never repeated', () => {
    const store = new SessionStore({ ttlMs: 60_000, maxSessions: 10_000 });
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i += 1) {
      const { id, session } = store.create('operator');
      for (const token of [id, session.csrfToken]) {
        expect(Buffer.from(token, 'base64url')).toHaveLength(32);
        expect(seen.has(token)).toBe(false);
        seen.add(token);
      }
    }
  });
});

describe('LoginAttempts', () => {
  it('lets no address fail more than maxFailures times within any window, and never blocks an address that has not', () => {
    const step = fc.record({ advanceMs: fc.integer({ min: 0, max: 30_000 }), address: fc.constantFrom('a', 'b', 'c'), succeeds: fc.boolean() });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1_000, max: 120_000 }), fc.array(step, { maxLength: 80 }), (maxFailures, windowMs, steps) => {
        const clock = { ms: 0 };
        const attempts = new LoginAttempts({ maxFailures, windowMs, now: () => clock.ms });
        const failures = new Map<string, number[]>();
        for (const { advanceMs, address, succeeds } of steps) {
          clock.ms += advanceMs;
          const recent = (failures.get(address) ?? []).filter((at) => at > clock.ms - windowMs);
          const blockedFor = attempts.blockedForMs(address);
          // Blocked exactly when the window already holds maxFailures failures, until the oldest leaves it.
          expect(blockedFor).toBe(recent.length >= maxFailures ? recent[recent.length - maxFailures]! + windowMs - clock.ms : 0);
          if (blockedFor > 0) continue;
          if (succeeds) {
            attempts.succeed(address);
            failures.set(address, []);
          } else {
            attempts.fail(address);
            failures.set(address, [...recent, clock.ms]);
          }
        }
      }),
    );
  });

  it('tracks at most maxAddresses addresses, forgetting the one tracked longest', () => {
    const attempts = new LoginAttempts({ maxFailures: 1, maxAddresses: 2, now: () => 0 });
    for (const address of ['a', 'b', 'c']) attempts.fail(address);
    expect(['a', 'b', 'c'].map((address) => attempts.blockedForMs(address) > 0)).toEqual([false, true, true]);
  });
});
