import fc from 'fast-check';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { LeaseStore, holderNodeId } from '../../src/lease/leaseStore.ts';
import { useSharedRedis } from '../support/sharedRedis.ts';

const shared = useSharedRedis('lease');
const PREFIX = shared.prefix;
let redis: Redis;
beforeAll(() => {
  redis = shared.redis();
});

type Step = { node: number; op: 'acquire' | 'extend' | 'release' | 'expire' };

describe('the lease on Redis (compare-and-extend, fencing tokens)', () => {
  it('has at most one holder, renewed and released only by it, with tokens that only grow', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ node: fc.integer({ min: 0, max: 2 }), op: fc.constantFrom<Step['op']>('acquire', 'extend', 'release', 'expire') }), { minLength: 1, maxLength: 30 }),
        async (steps) => {
          run += 1;
          const store = new LeaseStore(redis, { lease: `${PREFIX}:${run}:lease`, fence: `${PREFIX}:${run}:fence` });
          // What each node believes it holds (the value it wrote), and the model's holder.
          // A node's latest acquisition; stale values from before an expiry must be refused too.
          const held: (string | null)[] = [null, null, null];
          const stale: string[] = [];
          let holder: number | null = null;
          let lastToken = 0;
          let latestValue: string | null = null;
          for (const step of steps) {
            const node = `node-${step.node}`;
            if (step.op === 'expire') {
              await redis.del(store.keys.lease);
              holder = null;
              continue;
            }
            if (step.op === 'acquire') {
              const outcome = await store.acquire(node, 10_000);
              expect(outcome.acquired).toBe(holder === null);
              if (outcome.acquired) {
                expect(outcome.token).toBeGreaterThan(lastToken);
                lastToken = outcome.token;
                latestValue = outcome.value;
                holder = step.node;
                if (held[step.node]) stale.push(held[step.node]!);
                held[step.node] = outcome.value;
              } else {
                expect(holderNodeId(outcome.holder)).toBe(`node-${holder}`);
              }
              continue;
            }
            const value = held[step.node];
            if (value === null || value === undefined) continue;
            const mine = holder === step.node;
            for (const old of stale) expect(await store.extend(old, 10_000)).toBe(false);
            if (step.op === 'extend') {
              // Lost (expired, wiped) with no newer token issued since: the latest holder sets it again.
              const reestablished = holder === null && value === latestValue;
              expect(await store.extend(value, 10_000)).toBe(mine || reestablished);
              if (reestablished) holder = step.node;
            } else {
              expect(await store.release(value)).toBe(mine);
              if (mine) holder = null;
            }
          }
          expect(await store.holder()).toBe(holder === null ? null : `node-${holder}`);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('issues a token above every earlier one even after the counter is lost with Redis data', async () => {
    const store = new LeaseStore(redis, { lease: `${PREFIX}:wipe:lease`, fence: `${PREFIX}:wipe:fence` });
    const first = await store.acquire('a', 10_000);
    if (!first.acquired) throw new Error('expected the lease');
    await redis.del(store.keys.lease, store.keys.fence);
    const second = await store.acquire('b', 10_000);
    if (!second.acquired) throw new Error('expected the lease');
    expect(second.token).toBeGreaterThan(first.token);
  });

  it('expires on its own after the TTL when nobody renews it (a killed holder)', async () => {
    const store = new LeaseStore(redis, { lease: `${PREFIX}:ttl:lease`, fence: `${PREFIX}:ttl:fence` });
    expect((await store.acquire('dead', 200)).acquired).toBe(true);
    expect((await store.acquire('standby', 200)).acquired).toBe(false);
    const ttl = await redis.pttl(store.keys.lease);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(200);
  });
});
