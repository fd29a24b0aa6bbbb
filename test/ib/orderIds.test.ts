import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { OrderIdAllocator } from '../../src/ib/session/orderIdAllocator.ts';
import { REDIS_URL } from '../support/redisUrl.ts';

const redis = new Redis(REDIS_URL);
afterAll(() => redis.disconnect());
const freshKey = () => `test:orderIds:${process.pid}:${Math.random().toString(36).slice(2)}`;

describe('order ids (high-water mark in real Redis)', () => {
  it('never hands out an id twice, across allocators (process restarts) and broker floors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('allocate' as const), count: fc.integer({ min: 1, max: 30 }) }),
            fc.record({ op: fc.constant('floor' as const), value: fc.integer({ min: 0, max: 500 }) }),
            fc.constant({ op: 'restart' as const }),
          ),
          { maxLength: 25 },
        ),
        fc.integer({ min: 1, max: 20 }),
        async (steps, blockSize) => {
          const key = freshKey();
          let allocator = new OrderIdAllocator(redis, key, blockSize);
          let floor = 0;
          const seen = new Set<number>();
          for (const step of steps) {
            if (step.op === 'restart') allocator = new OrderIdAllocator(redis, key, blockSize);
            else if (step.op === 'floor') {
              floor = Math.max(floor, step.value);
              allocator.observeNextValidId(step.value);
            } else {
              for (let i = 0; i < step.count; i += 1) {
                const id = await allocator.allocate();
                expect(seen.has(id)).toBe(false);
                seen.add(id);
              }
            }
          }
          await redis.del(key);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('allocations after a broker floor are at or above it', async () => {
    const key = freshKey();
    const allocator = new OrderIdAllocator(redis, key, 10);
    expect(await allocator.allocate()).toBe(0);
    allocator.observeNextValidId(1_000);
    expect(await allocator.allocate()).toBe(1_000);
    expect(await allocator.highWaterMark()).toBe(1_010);
    await redis.del(key);
  });

  it('concurrent allocations on one allocator are distinct', async () => {
    const key = freshKey();
    const allocator = new OrderIdAllocator(redis, key, 3);
    const ids = await Promise.all(Array.from({ length: 40 }, () => allocator.allocate()));
    expect(new Set(ids).size).toBe(40);
    await redis.del(key);
  });
});
