import { Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { attachDeadLettering, DeadLetterIdError, DeadLetterNotFoundError, InvalidPayloadError } from '../../src/queues/index.ts';
import { finalOutcomes, QueueTestKit } from './queueTestKit.ts';
import { waitUntil } from '../support/waitUntil.ts';

let kit: QueueTestKit;
afterEach(async () => {
  await kit.cleanup();
});

async function failedCount(): Promise<number> {
  return kit.queue.getJobCountByTypes('failed');
}

describe('dead-lettering final failures', () => {
  it('moves a job whose retries ran out to orders:dead with payload, error, stack, attempts and timestamps', async () => {
    kit = new QueueTestKit();
    const dlq = kit.dlq();
    const worker = kit.worker();
    const lettering = attachDeadLettering(worker, dlq);
    await lettering.initialSweep;
    const done = finalOutcomes(worker, 1);
    const before = Date.now();
    const job = await kit.add(7, 'failForever', 3);
    await done;
    await lettering.idle();

    const record = await dlq.get(`orders:dead:${job.id}`);
    expect(record).toMatchObject({
      id: `orders:dead:${job.id}`,
      queue: 'orders',
      jobId: job.id,
      name: 'order',
      payload: { n: 7, outcome: 'failForever' },
      reason: 'permanent failure of 7',
      kind: 'attempts_exhausted',
      error: { name: 'Error', message: 'permanent failure of 7' },
      attemptsMade: 3,
      attempts: 3,
      replay: null,
    });
    expect(record!.error.stack).toContain('permanent failure of 7');
    expect(record!.stacktrace).toHaveLength(3);
    expect(record!.queuedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(record!.failedAt).toBeGreaterThanOrEqual(record!.queuedAt);
    expect(record!.deadLetteredAt).toBeGreaterThanOrEqual(record!.failedAt);
    expect(await failedCount()).toBe(0);
    expect(kit.deadLetters.map((letter) => letter.id)).toEqual([`orders:dead:${job.id}`]);
    // The contract: a BullMQ queue literally named orders:dead under the source queue's prefix.
    expect(await kit.redis.exists(`${kit.prefix}:orders:dead:wait`)).toBe(1);
  });

  it('does not dead-letter a failure that will be retried', async () => {
    kit = new QueueTestKit();
    const dlq = kit.dlq();
    const worker = kit.worker();
    const lettering = attachDeadLettering(worker, dlq);
    const done = finalOutcomes(worker, 1);
    await kit.add(1, 'failThenSucceed', 3);
    await done;
    await lettering.idle();
    expect(await dlq.count()).toBe(0);
    expect(await kit.queue.getJobCountByTypes('completed')).toBe(1);
  });

  it('sends an UnrecoverableError straight to the dead-letter queue with the validation errors as the reason', async () => {
    kit = new QueueTestKit();
    const dlq = kit.dlq();
    const worker = new Worker(
      'orders',
      async () => {
        throw new InvalidPayloadError(['price: expected a number', 'side: expected BUY or SELL']);
      },
      { connection: kit.redis.duplicate({ maxRetriesPerRequest: null }), prefix: kit.prefix },
    );
    const lettering = attachDeadLettering(worker, dlq);
    const done = finalOutcomes(worker, 1);
    const job = await kit.queue.add('order', { price: 'abc' }, { attempts: 5 });
    await done;
    await lettering.idle();
    await worker.close();
    await worker.disconnect();

    const record = await dlq.get(job.id!);
    expect(record).toMatchObject({
      kind: 'unrecoverable',
      attemptsMade: 1,
      attempts: 5,
      payload: { price: 'abc' },
      reason: 'invalid payload: price: expected a number; side: expected BUY or SELL',
      error: { name: 'InvalidPayloadError' },
    });
    expect(await failedCount()).toBe(0);
  });
});

describe('nothing disappears', () => {
  it('a failure with no listener attached (a crash before the move) is recovered by the sweep on start', async () => {
    kit = new QueueTestKit();
    const crashed = kit.worker();
    const done = finalOutcomes(crashed, 2);
    const lost = await kit.add(1, 'failForever', 2);
    const invalid = await kit.add(2, 'unrecoverable', 2);
    await done;
    await crashed.close();
    expect(await failedCount()).toBe(2);

    const dlq = kit.dlq();
    const lettering = attachDeadLettering(kit.worker(), dlq);
    expect(await lettering.initialSweep).toEqual({ scanned: 2, moved: 2, errors: 0 });
    expect((await dlq.get(lost.id!))?.attemptsMade).toBe(2);
    expect((await dlq.get(invalid.id!))).toMatchObject({ attemptsMade: 1, kind: 'unrecoverable', reason: 'invalid payload: n=2 rejected' });
    expect(await failedCount()).toBe(0);
  });

  it('sweeping twice, or concurrently, leaves one dead job and counts it once', async () => {
    kit = new QueueTestKit();
    const worker = kit.worker();
    const done = finalOutcomes(worker, 1);
    await kit.add(1, 'failForever', 1);
    await done;

    const dlq = kit.dlq();
    const other = kit.dlq();
    const [a, b] = await Promise.all([dlq.sweep(), other.sweep()]);
    expect(a.moved + b.moved).toBe(1);
    expect(await dlq.sweep()).toEqual({ scanned: 0, moved: 0, errors: 0 });
    expect(await dlq.count()).toBe(1);
    expect(kit.deadLetters).toHaveLength(1);
  });

  it('moving the same job twice is a no-op, even when the original is kept in the failed set', async () => {
    kit = new QueueTestKit();
    const worker = kit.worker();
    const done = finalOutcomes(worker, 1);
    const added = await kit.add(1, 'failForever', 1);
    await done;
    const job = (await kit.queue.getJob(added.id!))!;

    const dlq = kit.dlq();
    const first = await dlq.moveToDead(job, 'first');
    const second = await dlq.moveToDead(job, 'second');
    expect(first).toMatchObject({ created: true, removedFromFailed: true });
    expect(second).toMatchObject({ created: false, removedFromFailed: false });
    expect(second.record.reason).toBe('first');
    expect(await dlq.count()).toBe(1);
    expect(kit.deadLetters).toHaveLength(1);
  });

  it('a throwing onDeadLetter hook neither loses nor repeats the move', async () => {
    kit = new QueueTestKit();
    const worker = kit.worker();
    const done = finalOutcomes(worker, 1);
    await kit.add(1, 'failForever', 1);
    await done;
    const dlq = kit.dlq({
      onDeadLetter: () => {
        throw new Error('metrics down');
      },
    });
    expect(await dlq.sweep()).toEqual({ scanned: 1, moved: 1, errors: 0 });
    expect(await dlq.count()).toBe(1);
    expect(await failedCount()).toBe(0);
  });
});

describe('reading, replaying and purging', () => {
  async function deadLetter(count: number, outcome: 'failForever' | 'unrecoverable' = 'failForever') {
    const worker = kit.worker();
    const dlq = kit.dlq();
    const lettering = attachDeadLettering(worker, dlq);
    const done = finalOutcomes(worker, count);
    const jobs = [];
    for (let n = 0; n < count; n += 1) jobs.push(await kit.add(n, outcome, 1));
    await done;
    await lettering.idle();
    await worker.close();
    return { dlq, jobs };
  }

  it('lists newest first with offset and limit, and finds by public or bare id', async () => {
    kit = new QueueTestKit();
    const { dlq, jobs } = await deadLetter(3);
    const listed = await dlq.list(0, 10);
    expect(listed).toHaveLength(3);
    expect(new Set(listed.map((record) => record.jobId))).toEqual(new Set(jobs.map((job) => job.id)));
    expect(await dlq.list(1, 1)).toHaveLength(1);
    expect(await dlq.list(3, 10)).toEqual([]);
    expect((await dlq.get(`orders:dead:${jobs[0]!.id}`))?.jobId).toBe(jobs[0]!.id);
    expect(await dlq.get('nope')).toBeUndefined();
    await expect(dlq.get('reports:dead:1')).rejects.toBeInstanceOf(DeadLetterIdError);
  });

  it('replay re-adds the payload once under a fresh id and records it; replaying twice submits nothing more', async () => {
    kit = new QueueTestKit();
    const { dlq, jobs } = await deadLetter(1);
    const id = `orders:dead:${jobs[0]!.id}`;
    const countBefore = await kit.queue.count();

    const [first, concurrent] = await Promise.all([dlq.replay(id), dlq.replay(id)]);
    const second = await dlq.replay(id);
    const replayed = [first, concurrent].find((result) => result.status === 'replayed');
    expect(replayed?.jobId).toBe(`replay-${jobs[0]!.id}`);
    expect([first, concurrent].map((result) => result.status).sort()).toEqual(expect.arrayContaining(['replayed']));
    expect(second).toEqual({ id, status: 'already_replayed', jobId: replayed!.jobId });
    expect((await kit.queue.count()) - countBefore).toBe(1);

    const newJob = await kit.queue.getJob(replayed!.jobId!);
    expect(newJob?.data).toEqual({ n: 0, outcome: 'failForever' });
    expect(newJob?.opts.attempts).toBe(1);
    expect((await dlq.get(id))?.replay).toMatchObject({ jobId: replayed!.jobId });
  });

  it('replay of an unknown id says so', async () => {
    kit = new QueueTestKit();
    const dlq = kit.dlq();
    await expect(dlq.replay('orders:dead:404')).rejects.toBeInstanceOf(DeadLetterNotFoundError);
  });

  it('replayAll replays each dead letter once', async () => {
    kit = new QueueTestKit();
    const { dlq } = await deadLetter(3);
    const countBefore = await kit.queue.count();
    const first = await dlq.replayAll();
    const second = await dlq.replayAll();
    expect(first).toMatchObject({ replayed: 3, alreadyReplayed: 0, inProgress: 0 });
    expect(second).toMatchObject({ replayed: 0, alreadyReplayed: 3 });
    expect((await kit.queue.count()) - countBefore).toBe(3);
  });

  it('purge removes only dead letters older than the given age', async () => {
    kit = new QueueTestKit();
    const day = 86_400_000;
    let clock = Date.now() - 10 * day;
    const worker = kit.worker();
    const dlq = kit.dlq({ now: () => clock });
    const lettering = attachDeadLettering(worker, dlq);

    const oldDone = finalOutcomes(worker, 1);
    const old = await kit.add(1, 'failForever', 1);
    await oldDone;
    await lettering.idle();

    clock = Date.now();
    const newDone = finalOutcomes(worker, 1);
    const recent = await kit.add(2, 'failForever', 1);
    await newDone;
    await lettering.idle();

    expect(await dlq.purge({ olderThanMs: 7 * day })).toEqual([`orders:dead:${old.id}`]);
    expect(await dlq.get(old.id!)).toBeUndefined();
    expect(await dlq.get(recent.id!)).toBeDefined();
    await expect(dlq.purge({ olderThanMs: -1 })).rejects.toBeInstanceOf(RangeError);
  });
});

describe('attachDeadLettering', () => {
  it('refuses a worker of another queue', async () => {
    kit = new QueueTestKit();
    const dlq = kit.dlq();
    const other = new QueueTestKit('reports');
    try {
      expect(() => attachDeadLettering(other.worker(), dlq)).toThrow(/reports/);
    } finally {
      await other.cleanup();
    }
  });

  it('sweeps periodically when asked, catching failures missed while detached', async () => {
    kit = new QueueTestKit();
    const worker = kit.worker();
    const dlq = kit.dlq();
    const lettering = attachDeadLettering(worker, dlq, { sweepOnStart: false, sweepIntervalMs: 50 });
    lettering.detach();
    const done = finalOutcomes(worker, 1);
    await kit.add(1, 'failForever', 1);
    await done;
    expect(await failedCount()).toBe(1);
    const again = attachDeadLettering(worker, dlq, { sweepOnStart: false, sweepIntervalMs: 50 });
    // The record is written before the original leaves the failed set: wait for both.
    await waitUntil(async () => (await dlq.count()) === 1 && (await failedCount()) === 0, 'the periodic sweep');
    again.detach();
    await again.idle();
    expect(kit.deadLetters).toHaveLength(1);
  });
});
