import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConnectionPool, DATA_STRATEGIES, NoHealthyConnectionError } from '../../../src/ib/pool/index.ts';
import { fakeMember, type FakeMember } from './fakeMember.ts';

const memberCount = fc.integer({ min: 1, max: 6 });

type Step =
  | { kind: 'health'; member: number; healthy: boolean }
  | { kind: 'busy'; member: number; busy: number }
  | { kind: 'latency'; member: number; ms: number }
  | { kind: 'data' }
  | { kind: 'account'; account: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('health' as const), member: fc.nat(5), healthy: fc.boolean() }),
  fc.record({ kind: fc.constant('busy' as const), member: fc.nat(5), busy: fc.nat(20) }),
  fc.record({ kind: fc.constant('latency' as const), member: fc.nat(5), ms: fc.integer({ min: 0, max: 500 }) }),
  fc.constant({ kind: 'data' as const }),
  fc.record({ kind: fc.constant('account' as const), account: fc.nat(7) }),
);

function membersOf(count: number, healthy: boolean[] = []): FakeMember[] {
  return Array.from({ length: count }, (_, i) => fakeMember(`m${i}`, healthy[i] ?? true));
}

/** Applies a step that changes a member or its latency record. */
function apply(pool: ConnectionPool<FakeMember>, members: FakeMember[], s: Step): void {
  if (s.kind === 'health') members[s.member % members.length]!.healthy = s.healthy;
  else if (s.kind === 'busy') members[s.member % members.length]!.busy = s.busy;
  else if (s.kind === 'latency') pool.recordLatency(members[s.member % members.length]!.id, s.ms);
}

describe('connection pool properties', () => {
  it('never picks an unhealthy member for data, whatever the strategy and history', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DATA_STRATEGIES), memberCount, fc.array(step, { maxLength: 80 }), (strategy, count, steps) => {
        const members = membersOf(count);
        const pool = new ConnectionPool(members, { config: { strategy } });
        for (const s of steps) {
          if (s.kind !== 'data') {
            apply(pool, members, s);
            continue;
          }
          const anyHealthy = members.some((member) => member.healthy);
          if (!anyHealthy) {
            expect(() => pool.pickForData()).toThrow(NoHealthyConnectionError);
            continue;
          }
          expect(pool.pickForData().healthy).toBe(true);
        }
      }),
    );
  });

  it('round robin gives each healthy member exactly one turn per round', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }).filter((health) => health.some(Boolean)),
        fc.nat(10),
        fc.integer({ min: 1, max: 6 }),
        (health, warmUp, rounds) => {
          const members = membersOf(health.length, health);
          const pool = new ConnectionPool(members, { config: { strategy: 'round_robin' } });
          for (let i = 0; i < warmUp; i += 1) pool.pickForData();
          const healthyIds = members.filter((member) => member.healthy).map((member) => member.id);
          const counts = new Map<string, number>();
          for (let i = 0; i < rounds * healthyIds.length; i += 1) {
            const id = pool.pickForData().id;
            counts.set(id, (counts.get(id) ?? 0) + 1);
          }
          expect([...counts.keys()].sort()).toEqual([...healthyIds].sort());
          for (const id of healthyIds) expect(counts.get(id)).toBe(rounds);
        },
      ),
    );
  });

  it('round robin stays within one turn of fair while health changes', () => {
    fc.assert(
      fc.property(memberCount, fc.array(step, { maxLength: 80 }), (count, steps) => {
        const members = membersOf(count);
        const pool = new ConnectionPool(members, { config: { strategy: 'round_robin' } });
        // Fairness is judged over each stretch in which the healthy set does not change.
        let counts = new Map<string, number>();
        const checkFair = () => {
          const values = members.filter((member) => member.healthy).map((member) => counts.get(member.id) ?? 0);
          if (values.length > 0) expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
        };
        for (const s of steps) {
          if (s.kind === 'health') {
            checkFair();
            counts = new Map();
          }
          if (s.kind !== 'data') {
            apply(pool, members, s);
            continue;
          }
          if (!members.some((member) => member.healthy)) continue;
          const id = pool.pickForData().id;
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
        checkFair();
      }),
    );
  });

  it('least_busy picks a healthy member with the minimum load', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ healthy: fc.boolean(), busy: fc.nat(10) }), { minLength: 1, maxLength: 6 }),
        fc.nat(10),
        (shape, warmUp) => {
          const members = shape.map((m, i) => fakeMember(`m${i}`, m.healthy, m.busy));
          const pool = new ConnectionPool(members, { config: { strategy: 'least_busy' } });
          const healthy = members.filter((member) => member.healthy);
          fc.pre(healthy.length > 0);
          for (let i = 0; i < warmUp; i += 1) pool.pickForData();
          const minimum = Math.min(...healthy.map((member) => member.busy));
          const picked = pool.pickForData();
          expect(picked.healthy).toBe(true);
          expect(picked.busy).toBe(minimum);
        },
      ),
    );
  });

  it('fastest picks an untried healthy member if there is one, else one with the lowest latency', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ healthy: fc.boolean(), latency: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        (shape) => {
          const members = shape.map((m, i) => fakeMember(`m${i}`, m.healthy));
          const pool = new ConnectionPool(members, { config: { strategy: 'fastest' } });
          shape.forEach((m, i) => {
            if (m.latency !== undefined) pool.recordLatency(`m${i}`, m.latency);
          });
          const healthy = shape.map((m, i) => ({ ...m, id: `m${i}` })).filter((m) => m.healthy);
          fc.pre(healthy.length > 0);
          const picked = pool.pickForData().id;
          const untried = healthy.filter((m) => m.latency === undefined);
          if (untried.length > 0) expect(untried.map((m) => m.id)).toContain(picked);
          else expect(pool.latencyOf(picked)).toBe(Math.min(...healthy.map((m) => m.latency!)));
        },
      ),
    );
  });

  it('an account never moves while its member is healthy, and not while it is unhealthy either', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DATA_STRATEGIES), memberCount, fc.array(step, { maxLength: 100 }), (strategy, count, steps) => {
        const members = membersOf(count);
        const pool = new ConnectionPool(members, { config: { strategy } });
        const pinned = new Map<number, string>();
        for (const s of steps) {
          if (s.kind === 'data') {
            if (members.some((member) => member.healthy)) pool.pickForData();
          } else if (s.kind === 'account') {
            const first = pinned.get(s.account);
            if (first === undefined && !members.some((member) => member.healthy)) {
              expect(() => pool.pickForAccount(`DU${s.account}`)).toThrow(NoHealthyConnectionError);
              continue;
            }
            const member = pool.pickForAccount(`DU${s.account}`);
            if (first === undefined) {
              expect(member.healthy).toBe(true);
              pinned.set(s.account, member.id);
            } else {
              expect(member.id).toBe(first);
            }
          } else {
            apply(pool, members, s);
          }
        }
      }),
    );
  });

  it('removing a member moves only the accounts it carried', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.array(fc.nat(9), { minLength: 1, maxLength: 20 }), fc.nat(5), (count, accounts, removeAt) => {
        const members = membersOf(count);
        const pool = new ConnectionPool(members);
        for (const account of accounts) pool.pickForAccount(`DU${account}`);
        const before = pool.accountAssignments();
        const removed = members[removeAt % count]!.id;
        const released = pool.removeMember(removed);
        for (const [account, memberId] of before) {
          if (memberId === removed) expect(released).toContain(account);
          else expect(pool.pickForAccount(account).id).toBe(memberId);
        }
        for (const account of released) expect(pool.pickForAccount(account).id).not.toBe(removed);
      }),
    );
  });
});
