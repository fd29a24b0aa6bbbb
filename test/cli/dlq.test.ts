import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDlqCommand } from '../../src/cli/commands/dlq';
import { runCliWith } from './cliHarness';
import { attachDeadLettering, type DeadLetterRecord } from '../../src/queues';
import { finalOutcomes, QueueTestKit, REDIS_URL } from '../queues/queueTestKit';


const runCli = (args: string[], env: NodeJS.ProcessEnv = { REDIS_URL }) => runCliWith([registerDlqCommand], args, env);

let kit: QueueTestKit;
let prefixArgs: string[];
let failedIds: string[];

beforeAll(async () => {
  kit = new QueueTestKit();
  prefixArgs = ['--prefix', kit.prefix];
  const worker = kit.worker();
  const lettering = attachDeadLettering(worker, kit.dlq());
  const done = finalOutcomes(worker, 3);
  const jobs = [await kit.add(1, 'failForever', 2), await kit.add(2, 'unrecoverable', 2), await kit.add(3, 'failForever', 1)];
  await done;
  await lettering.idle();
  await worker.close();
  failedIds = jobs.map((job) => job.id!);
});
afterAll(async () => {
  await kit.cleanup();
});

describe('tradewire dlq list', () => {
  it('prints a table of id, failed at, attempts and reason', async () => {
    const run = await runCli(['dlq', 'list', 'orders', ...prefixArgs]);
    expect(run.exitCode).toBe(0);
    const lines = run.out.split('\n');
    expect(lines[0]).toMatch(/^ID\s+FAILED AT\s+ATTEMPTS\s+REASON$/);
    expect(lines).toHaveLength(4);
    expect(run.out).toMatch(new RegExp(`orders:dead:${failedIds[0]}\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\s+2/2\\s+permanent failure of 1`));
    expect(run.out).toMatch(new RegExp(`orders:dead:${failedIds[1]}\\s+\\S+\\s+1/2\\s+invalid payload: n=2 rejected`));
  });

  it('prints JSON records with --json, honouring --offset and --limit', async () => {
    const run = await runCli(['dlq', 'list', 'orders', '--json', '--offset', '1', '--limit', '1', ...prefixArgs]);
    expect(run.exitCode).toBe(0);
    const records = JSON.parse(run.out) as DeadLetterRecord[];
    expect(records).toHaveLength(1);
    expect(records[0]).toHaveProperty('payload');
  });

  it('says so for a queue without dead letters', async () => {
    const run = await runCli(['dlq', 'list', 'reports', ...prefixArgs]);
    expect(run.exitCode).toBe(0);
    expect(run.out).toBe('no dead letters in reports:dead');
  });

  it.each([['orders:dead'], ['']])('rejects the queue name %j with exit code 2', async (queue) => {
    const run = await runCli(['dlq', 'list', queue, ...prefixArgs]);
    expect(run.exitCode).toBe(2);
    expect(run.err).toContain('invalid queue name');
  });

  it('rejects a non-numeric --limit with exit code 2', async () => {
    const run = await runCli(['dlq', 'list', 'orders', '--limit', 'lots', ...prefixArgs]);
    expect(run.exitCode).toBe(2);
    expect(run.err).toContain('--limit must be a whole number');
  });
});

describe('tradewire dlq show', () => {
  it('prints the full record: payload, error and stack', async () => {
    const run = await runCli(['dlq', 'show', `orders:dead:${failedIds[0]}`, ...prefixArgs]);
    expect(run.exitCode).toBe(0);
    const record = JSON.parse(run.out) as DeadLetterRecord;
    expect(record).toMatchObject({ id: `orders:dead:${failedIds[0]}`, payload: { n: 1, outcome: 'failForever' }, attemptsMade: 2, error: { message: 'permanent failure of 1' } });
    expect(record.error.stack).toContain('permanent failure of 1');
    expect(record.stacktrace).toHaveLength(2);
  });

  it('accepts a bare job id with --queue', async () => {
    const run = await runCli(['dlq', 'show', failedIds[1]!, '--queue', 'orders', ...prefixArgs]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ kind: 'unrecoverable', attemptsMade: 1 });
  });

  it('explains an unknown id and exits 1', async () => {
    const run = await runCli(['dlq', 'show', 'orders:dead:does-not-exist', ...prefixArgs]);
    expect(run.exitCode).toBe(1);
    expect(run.err).toBe('error: no dead letter "orders:dead:does-not-exist"; see `tradewire dlq list <queue>`');
    expect(run.out).toBe('');
  });

  it('exits 2 for a bare id without --queue, or a --queue that contradicts the id', async () => {
    const bare = await runCli(['dlq', 'show', '42', ...prefixArgs]);
    expect(bare.exitCode).toBe(2);
    expect(bare.err).toContain('<queue>:dead:<jobId>');
    const contradicting = await runCli(['dlq', 'show', 'orders:dead:1', '--queue', 'reports', ...prefixArgs]);
    expect(contradicting.exitCode).toBe(2);
  });
});

describe('tradewire dlq replay', () => {
  it('replays one dead letter once; the second replay submits nothing', async () => {
    const before = await kit.queue.count();
    const first = await runCli(['dlq', 'replay', `orders:dead:${failedIds[0]}`, ...prefixArgs]);
    const second = await runCli(['dlq', 'replay', `orders:dead:${failedIds[0]}`, ...prefixArgs]);
    expect(first.exitCode).toBe(0);
    expect(first.out).toBe(`replayed orders:dead:${failedIds[0]} as job replay-${failedIds[0]}`);
    expect(second.exitCode).toBe(0);
    expect(second.out).toContain('already replayed');
    expect((await kit.queue.count()) - before).toBe(1);
  });

  it('replays the rest with --all --queue', async () => {
    const before = await kit.queue.count();
    const run = await runCli(['dlq', 'replay', '--all', '--queue', 'orders', ...prefixArgs]);
    expect(run.exitCode).toBe(0);
    expect(run.out.split('\n').at(-1)).toBe('2 replayed, 1 already replayed, 0 in progress elsewhere, 0 not replayable');
    expect((await kit.queue.count()) - before).toBe(2);
  });

  it('exits 1 for an unknown id and 2 for bad usage', async () => {
    expect((await runCli(['dlq', 'replay', 'orders:dead:nope', ...prefixArgs])).exitCode).toBe(1);
    expect((await runCli(['dlq', 'replay', '--all', ...prefixArgs])).exitCode).toBe(2);
    expect((await runCli(['dlq', 'replay', ...prefixArgs])).exitCode).toBe(2);
    expect((await runCli(['dlq', 'replay', 'orders:dead:1', '--all', '--queue', 'orders', ...prefixArgs])).exitCode).toBe(2);
  });
});

describe('tradewire dlq purge', () => {
  it.each([['abc'], ['7'], ['-1d'], ['1.5h'], ['7 days'], ['']])('rejects the duration %j with exit code 2', async (duration) => {
    const run = await runCli(['dlq', 'purge', '--older-than', duration, '--queue', 'orders', ...prefixArgs]);
    expect(run.exitCode).toBe(2);
    expect(run.err).toContain('invalid duration');
  });

  it('needs --queue', async () => {
    const run = await runCli(['dlq', 'purge', '--older-than', '7d', ...prefixArgs]);
    expect(run.exitCode).toBe(2);
    expect(run.err).toContain('--queue');
  });

  it('keeps recent dead letters and purges old ones', async () => {
    const keep = await runCli(['dlq', 'purge', '--older-than', '7d', '--queue', 'orders', ...prefixArgs]);
    expect(keep).toMatchObject({ exitCode: 0, out: 'purged 0 dead letters older than 7d from orders:dead' });
    const all = await runCli(['dlq', 'purge', '--older-than', '0ms', '--queue', 'orders', ...prefixArgs]);
    expect(all).toMatchObject({ exitCode: 0, out: 'purged 3 dead letters older than 0ms from orders:dead' });
    expect((await runCli(['dlq', 'list', 'orders', ...prefixArgs])).out).toBe('no dead letters in orders:dead');
  });
});

describe('connecting to Redis', () => {
  it('exits 1 with a clear message when Redis is unreachable, without hanging', async () => {
    const run = await runCli(['dlq', 'list', 'orders', '--redis-url', 'redis://:hunter2@127.0.0.1:1']);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain('cannot reach Redis at');
    expect(run.err).not.toContain('hunter2');
  });

  it('exits 2 for a URL that is not a Redis URL', async () => {
    const run = await runCli(['dlq', 'list', 'orders', '--redis-url', 'http://localhost:6379']);
    expect(run.exitCode).toBe(2);
    expect(run.err).toContain('redis://');
  });
});
