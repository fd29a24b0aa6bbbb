import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { OrderIdAllocator } from '../../../src/ib/session/orderIdAllocator.ts';
import { REDIS_URL } from '../../support/redisUrl.ts';

const redis = new Redis(REDIS_URL);
afterAll(() => redis.disconnect());
const freshKey = () => `test:continuity:orderIds:${process.pid}:${Math.random().toString(36).slice(2)}`;

describe('order ids when Redis forgets the high-water mark', () => {
  it('one process never goes back, whatever it forgets; a re-seed puts the mark back and ids go on above it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('allocate' as const), count: fc.integer({ min: 1, max: 40 }) }),
            // The mark's key gone, as after a FLUSHALL or a restart without data.
            fc.constant({ op: 'forget' as const }),
            // The broker's nextValidId as it was at connect: stale once ids were used.
            fc.record({ op: fc.constant('floor' as const), value: fc.integer({ min: 0, max: 50 }) }),
            fc.record({ op: fc.constant('reseed' as const), atLeast: fc.integer({ min: 0, max: 600 }) }),
          ),
          { maxLength: 25 },
        ),
        fc.integer({ min: 1, max: 20 }),
        async (steps, blockSize) => {
          const key = freshKey();
          const allocator = new OrderIdAllocator(redis, key, blockSize);
          let last = -1;
          try {
            for (const step of steps) {
              if (step.op === 'forget') await redis.del(key);
              else if (step.op === 'floor') allocator.observeNextValidId(step.value);
              else if (step.op === 'reseed') {
                const mark = await allocator.reseed(step.atLeast);
                expect(mark).toBeGreaterThanOrEqual(Math.max(step.atLeast, last + 1));
                expect(await allocator.highWaterMark()).toBe(mark);
                const next = await allocator.allocate();
                expect(next).toBeGreaterThanOrEqual(step.atLeast);
                expect(next).toBeGreaterThan(last);
                last = next;
              } else {
                for (let i = 0; i < step.count; i += 1) {
                  const id = await allocator.allocate();
                  // A reused or lower id is what the broker refuses as a duplicate (103).
                  expect(id).toBeGreaterThan(last);
                  last = id;
                }
              }
            }
          } finally {
            await redis.del(key);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
