import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachDeadLettering, type DeadLetterQueue } from '../../src/queues/index.ts';
import { QueueTestKit } from './queueTestKit.ts';
import { deepArrays, undecodable, writeRawJob } from './rawJobs.ts';
import { waitUntil } from '../support/waitUntil.ts';

/**
 * Whatever a client that bypasses BullMQ writes as a job's data and opts, the running worker and
 * its dead-lettering leave nothing behind: every job ends completed or in `orders:dead`, never
 * parked in `active` or `wait`; exactly the jobs BullMQ cannot decode are dead-lettered as
 * corrupt. One worker serves every run, as in production.
 */

let kit: QueueTestKit;
let dlq: DeadLetterQueue;
beforeAll(() => {
  kit = new QueueTestKit();
  dlq = kit.dlq();
  attachDeadLettering(kit.worker(), dlq, { sweepOnStart: false });
});
afterAll(async () => {
  await kit.cleanup();
});

const data = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom('{"n":1,"outcome":"succeed"}', '{"n":2,"outcome":"failForever"}', '', '{', 'null', '[]'),
  fc.integer({ min: 600, max: 50_000 }).map(deepArrays),
);
const opts = fc.oneof(fc.constantFrom('{}', '{"attempts":1}', 'null', '[]', '', '{bad'), fc.string({ maxLength: 20 }));

let serial = 0;

describe('raw jobs (property, real Redis, real BullMQ worker)', () => {
  it('every raw job ends completed or dead-lettered; exactly the undecodable ones as corrupt', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ data, opts }), { minLength: 1, maxLength: 5 }), async (jobs) => {
        const ids = jobs.map(() => `raw-${(serial += 1)}`);
        for (const [i, fields] of jobs.entries()) await writeRawJob(kit.redis, { prefix: kit.prefix, queue: 'orders' }, ids[i]!, fields);

        const endOf = async (id: string) => {
          const letter = await dlq.get(id);
          if (letter && (await kit.redis.exists(`${kit.prefix}:orders:${id}`)) === 0) return letter.kind;
          const completed = await kit.redis.zscore(`${kit.prefix}:orders:completed`, id);
          return completed !== null ? 'completed' : undefined;
        };
        await waitUntil(async () => (await Promise.all(ids.map(endOf))).every((end) => end !== undefined), 'every raw job to end', 10_000);

        for (const [i, fields] of jobs.entries()) {
          const end = await endOf(ids[i]!);
          if (undecodable(fields)) expect(end, `${ids[i]} ${JSON.stringify(fields).slice(0, 80)}`).toBe('corrupt');
          else expect(end, `${ids[i]} ${JSON.stringify(fields).slice(0, 80)}`).not.toBe('corrupt');
        }
        const parked = [...(await kit.redis.lrange(`${kit.prefix}:orders:active`, 0, -1)), ...(await kit.redis.lrange(`${kit.prefix}:orders:wait`, 0, -1))];
        expect(parked.filter((id) => ids.includes(id))).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
