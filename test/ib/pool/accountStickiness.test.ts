import { describe, expect, it } from 'vitest';
import { ConnectionPool, NoHealthyConnectionError, UnknownPoolMemberError } from '../../../src/ib/pool/index.ts';
import { createMemoryLogger } from '../../admin/memoryLogger.ts';
import { fakeMember, fakeMembers } from './fakeMember.ts';

describe('orders for an account stay on one connection', () => {
  it('pins a new account to a healthy member and keeps it there', () => {
    const [a, b] = [fakeMember('a', false), fakeMember('b')];
    const pool = new ConnectionPool([a, b]);
    expect(pool.pickForAccount('DU111').id).toBe('b');
    a.healthy = true;
    for (let i = 0; i < 5; i += 1) expect(pool.pickForAccount('DU111').id).toBe('b');
  });

  it('spreads new accounts over members by how many accounts each already carries', () => {
    const pool = new ConnectionPool(fakeMembers('a', 'b'));
    expect(['DU1', 'DU2', 'DU3', 'DU4'].map((account) => pool.pickForAccount(account).id)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('is not moved by data load balancing', () => {
    const pool = new ConnectionPool(fakeMembers('a', 'b', 'c'), { config: { strategy: 'round_robin' } });
    const pinned = pool.pickForAccount('DU1').id;
    for (let i = 0; i < 6; i += 1) pool.pickForData();
    expect(pool.pickForAccount('DU1').id).toBe(pinned);
  });

  it('holds the account on its member while that member is unhealthy instead of switching', () => {
    const [a, b] = fakeMembers('a', 'b');
    const pool = new ConnectionPool([a!, b!]);
    expect(pool.pickForAccount('DU1').id).toBe('a');
    a!.healthy = false;
    const during = pool.pickForAccount('DU1');
    expect(during.id).toBe('a');
    expect(during.isHealthy()).toBe(false);
    a!.healthy = true;
    expect(pool.pickForAccount('DU1').id).toBe('a');
  });

  it('warns once per unhealthy spell that orders are being held, naming account and member', () => {
    const { logger, entries } = createMemoryLogger();
    const a = fakeMember('a');
    const pool = new ConnectionPool([a, fakeMember('b')], { logger });
    pool.pickForAccount('DU1');
    a.healthy = false;
    pool.pickForAccount('DU1');
    pool.pickForAccount('DU1');
    a.healthy = true;
    pool.pickForAccount('DU1');
    a.healthy = false;
    pool.pickForAccount('DU1');
    const held = entries.filter((line) => String(line.message).startsWith('orders held'));
    expect(held).toHaveLength(2);
    expect(held[0]).toMatchObject({ level: 'warn', account: 'DU1', memberId: 'a' });
  });

  it('moves the account only when its member is removed from the configuration', () => {
    const pool = new ConnectionPool(fakeMembers('a', 'b'));
    pool.pickForAccount('DU1');
    pool.pickForAccount('DU2');
    expect(pool.removeMember('a')).toEqual(['DU1']);
    expect(pool.accountMember('DU1')).toBeUndefined();
    expect(pool.pickForAccount('DU1').id).toBe('b');
    expect(pool.pickForAccount('DU2').id).toBe('b');
  });

  it('refuses to pin a new account when no member is healthy, but still serves pinned accounts', () => {
    const a = fakeMember('a');
    const pool = new ConnectionPool([a]);
    pool.pickForAccount('DU1');
    a.healthy = false;
    expect(pool.pickForAccount('DU1').id).toBe('a');
    expect(() => pool.pickForAccount('DU2')).toThrow(NoHealthyConnectionError);
    expect(() => pool.pickForAccount('DU2')).toThrow('orders of account DU2');
    expect(pool.accountMember('DU2')).toBeUndefined();
  });

  it('reports the assignments', () => {
    const pool = new ConnectionPool(fakeMembers('a', 'b'));
    pool.pickForAccount('DU1');
    pool.pickForAccount('DU2');
    expect([...pool.accountAssignments()]).toEqual([
      ['DU1', 'a'],
      ['DU2', 'b'],
    ]);
  });
});

describe('membership', () => {
  it('rejects two members with the same id', () => {
    expect(() => new ConnectionPool(fakeMembers('a', 'a'))).toThrow('IB connection "a" is already in the pool');
  });

  it('names an unknown member', () => {
    expect(() => new ConnectionPool(fakeMembers('a')).removeMember('zz')).toThrow(UnknownPoolMemberError);
  });

  it('ignores latency reported for a member that has been removed', () => {
    const pool = new ConnectionPool(fakeMembers('a', 'b'));
    pool.removeMember('a');
    expect(() => pool.recordLatency('a', 10)).not.toThrow();
    expect(pool.latencyOf('b')).toBeNull();
  });
});
