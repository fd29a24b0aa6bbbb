import { UnrecoverableError, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { attachDeadLettering, DeadLetterNotReplayableError } from '../../src/queues/index.ts';
import { luaScript } from '../../src/redis/luaScript.ts';
import { finalOutcomes, QueueTestKit } from './queueTestKit.ts';
import { deepArrays, writeRawJob } from './rawJobs.ts';
import { waitUntil } from '../support/waitUntil.ts';

let kit: QueueTestKit;
afterEach(async () => {
  await kit.cleanup();
});

const at = () => ({ prefix: kit.prefix, queue: 'orders' });
const jobKey = (id: string) => `${kit.prefix}:orders:${id}`;
const inList = async (list: 'active' | 'wait', id: string) => (await kit.redis.lrange(`${kit.prefix}:orders:${list}`, 0, -1)).includes(id);

describe('raw-corrupt jobs (written straight into Redis) end in orders:dead', () => {
  it('data that is not JSON: dead-lettered with the broken field as reason and its raw fields; out of active; the jobs around it run', async () => {
    kit = new QueueTestKit();
    await writeRawJob(kit.redis, at(), 'bad-data', { data: '{not json' });
    const good = await kit.add(1, 'succeed');
    const dlq = kit.dlq();
    const worker = kit.worker();
    // No sweep on start: the worker's own decode error must be what finds the job.
    const lettering = attachDeadLettering(worker, dlq, { sweepOnStart: false });

    await waitUntil(async () => (await dlq.get('bad-data')) !== undefined && (await kit.redis.exists(jobKey('bad-data'))) === 0, 'the corrupt job dead-lettered and removed');
    await lettering.idle();
    const record = await dlq.get('orders:dead:bad-data');
    expect(record).toMatchObject({
      id: 'orders:dead:bad-data',
      queue: 'orders',
      jobId: 'bad-data',
      name: 'order',
      kind: 'corrupt',
      payload: null,
      raw: { data: '{not json', opts: '{}' },
      error: { name: 'CorruptJobError' },
      replay: null,
    });
    expect(record!.reason).toMatch(/^corrupt job: data is not JSON \(.+\)$/);
    expect(await inList('active', 'bad-data')).toBe(false);
    expect(await kit.redis.exists(`${jobKey('bad-data')}:lock`)).toBe(0);
    expect(kit.deadLetters.map((letter) => letter.id)).toEqual(['orders:dead:bad-data']);
    await waitUntil(async () => (await kit.queue.getJobState(good.id!)) === 'completed', 'the good job completed');
  });

  it('opts that are not JSON, or JSON null: each dead-lettered naming opts', async () => {
    kit = new QueueTestKit();
    await writeRawJob(kit.redis, at(), 'bad-opts', { data: '{"n":1,"outcome":"succeed"}', opts: 'garbage' });
    await writeRawJob(kit.redis, at(), 'null-opts', { data: '{"n":2,"outcome":"succeed"}', opts: 'null' });
    const dlq = kit.dlq();
    attachDeadLettering(kit.worker(), dlq, { sweepOnStart: false });

    await waitUntil(async () => (await dlq.count()) === 2 && (await kit.queue.getJobCountByTypes('active')) === 0, 'both dead-lettered');
    expect((await dlq.get('bad-opts'))?.reason).toMatch(/^corrupt job: opts is not JSON \(/);
    expect((await dlq.get('bad-opts'))?.raw).toEqual({ data: '{"n":1,"outcome":"succeed"}', opts: 'garbage' });
    expect((await dlq.get('null-opts'))?.reason).toBe('corrupt job: opts is JSON null, not an object');
  });

  it('a corrupt job in the failed set does not stop the sweep: it and the jobs around it are all moved', async () => {
    kit = new QueueTestKit();
    const worker = kit.worker();
    const done = finalOutcomes(worker, 1);
    const first = await kit.add(1, 'failForever', 1);
    await done;
    await writeRawJob(kit.redis, at(), 'rotten', { data: '\u0000\u00ff' }, 'failed');
    const doneAgain = finalOutcomes(worker, 1);
    const last = await kit.add(2, 'unrecoverable', 2);
    await doneAgain;
    await worker.close();
    expect(await kit.redis.zcard(`${kit.prefix}:orders:failed`)).toBe(3);

    const dlq = kit.dlq();
    expect(await dlq.sweep()).toEqual({ scanned: 3, moved: 3, errors: 0 });
    expect(await kit.redis.zcard(`${kit.prefix}:orders:failed`)).toBe(0);
    expect((await dlq.get('rotten'))).toMatchObject({ kind: 'corrupt', attemptsMade: 1, raw: { data: '\u0000\u00ff' } });
    expect((await dlq.get(first.id!))?.kind).toBe('attempts_exhausted');
    expect((await dlq.get(last.id!))?.kind).toBe('unrecoverable');
    expect(await dlq.sweep()).toEqual({ scanned: 0, moved: 0, errors: 0 });
  });

  it('a corrupt job a dead worker left locked in active is dead-lettered by the sweep on start; a decodable active job is left to its worker', async () => {
    kit = new QueueTestKit();
    await writeRawJob(kit.redis, at(), 'stuck', { data: '{"n":' }, 'active');
    await kit.redis.set(`${jobKey('stuck')}:lock`, 'token-of-a-dead-worker', 'PX', 60_000);
    await writeRawJob(kit.redis, at(), 'busy', { data: '{"n":3,"outcome":"succeed"}' }, 'active');
    await kit.redis.set(`${jobKey('busy')}:lock`, 'token-of-a-live-worker', 'PX', 60_000);

    const dlq = kit.dlq();
    const lettering = attachDeadLettering(kit.worker(), dlq);
    expect(await lettering.initialSweep).toEqual({ scanned: 1, moved: 1, errors: 0 });
    expect((await dlq.get('stuck'))?.reason).toMatch(/^corrupt job: data is not JSON/);
    expect(await kit.redis.lrange(`${kit.prefix}:orders:active`, 0, -1)).toEqual(['busy']);
    expect(await kit.redis.get(`${jobKey('busy')}:lock`)).toBe('token-of-a-live-worker');
  });

  it('a job repaired before its lock is freed keeps its lock (the lock script compares the fields it judged)', async () => {
    kit = new QueueTestKit();
    const script = luaScript('releaseLockIfUnchanged-job-lock.lua');
    await kit.redis.hset(jobKey('j'), { data: '{"repaired":true}', opts: '{}' });
    await kit.redis.set(`${jobKey('j')}:lock`, 'worker-token');
    expect(await script.run(kit.redis, [jobKey('j'), `${jobKey('j')}:lock`], ['{broken', '{}', '', ''])).toBe(0);
    expect(await kit.redis.get(`${jobKey('j')}:lock`)).toBe('worker-token');
    expect(await script.run(kit.redis, [jobKey('j'), `${jobKey('j')}:lock`], ['{"repaired":true}', '{}', '', ''])).toBe(1);
    expect(await kit.redis.exists(`${jobKey('j')}:lock`)).toBe(0);
  });
});

describe('deeply nested data', () => {
  const DEPTH = 100_000;

  it('a failed job with 100k-deep arrays is dead-lettered by the move (no stack overflow), its payload kept as raw text, and not replayable', async () => {
    kit = new QueueTestKit();
    const text = deepArrays(DEPTH);
    await writeRawJob(kit.redis, at(), 'deep', { data: text });
    const dlq = kit.dlq();
    const worker = new Worker(
      'orders',
      async () => {
        throw new UnrecoverableError('invalid payload: (root): expected an object');
      },
      { connection: kit.redis.duplicate({ maxRetriesPerRequest: null }), prefix: kit.prefix },
    );
    worker.on('error', () => undefined);
    const lettering = attachDeadLettering(worker, dlq, { sweepOnStart: false });

    await waitUntil(async () => (await dlq.get('deep')) !== undefined && (await kit.queue.getJobCountByTypes('failed')) === 0, 'the deep job dead-lettered');
    await lettering.idle();
    await worker.close();
    await worker.disconnect();
    const record = await dlq.get('deep');
    expect(record).toMatchObject({ kind: 'unrecoverable', reason: 'invalid payload: (root): expected an object', payload: null, raw: { data: text, opts: null } });
    expect((await dlq.list()).map((letter) => letter.id)).toEqual(['orders:dead:deep']);
    await expect(dlq.replay('deep')).rejects.toBeInstanceOf(DeadLetterNotReplayableError);
    await expect(dlq.replay('deep')).rejects.toThrow(/nested deeper than 512 levels/);
    expect(await dlq.replayAll()).toMatchObject({ replayed: 0, notReplayable: 1, results: [{ id: 'orders:dead:deep', status: 'not_replayable' }] });
  });

  it('the sweep moves 100k-deep jobs it finds in the failed set, arrays and objects alike', async () => {
    kit = new QueueTestKit();
    const objects = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);
    await writeRawJob(kit.redis, at(), 'deep-arrays', { data: deepArrays(DEPTH) }, 'failed');
    await writeRawJob(kit.redis, at(), 'deep-objects', { data: objects }, 'failed');

    const dlq = kit.dlq();
    expect(await dlq.sweep()).toEqual({ scanned: 2, moved: 2, errors: 0 });
    expect((await dlq.get('deep-objects'))?.raw?.data).toBe(objects);
    expect((await dlq.get('deep-arrays'))?.raw?.data).toHaveLength(2 * DEPTH);
  });

  it('a payload at the depth limit is still kept as a value, and replays', async () => {
    kit = new QueueTestKit();
    const worker = kit.worker();
    const dlq = kit.dlq();
    const lettering = attachDeadLettering(worker, dlq);
    const done = finalOutcomes(worker, 1);
    // 510 levels of arrays inside the payload object: 511 in all, within the 512 limit.
    const job = await kit.queue.add('order', { n: 1, outcome: 'failForever', nested: JSON.parse(deepArrays(510)) }, { attempts: 1 });
    await done;
    await lettering.idle();
    const record = await dlq.get(job.id!);
    expect(record?.raw).toBeNull();
    expect(JSON.stringify(record?.payload)).toBe(`{"n":1,"outcome":"failForever","nested":${deepArrays(510)}}`);
    expect((await dlq.replay(job.id!)).status).toBe('replayed');
  });
});
