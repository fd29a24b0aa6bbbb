import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDlqCommand } from '../../src/cli/commands/dlq.ts';
import type { DeadLetterRecord } from '../../src/queues/index.ts';
import { OperatorWorld, OPERATOR_TOKEN, READ_TOKEN } from '../admin/operatorWorld.ts';
import { runCliWith } from './cliHarness.ts';
import { unusedPort } from './liveServer.ts';
import { REDIS_URL } from '../support/redisUrl.ts';

/** Reads go to Redis under the runtime's namespace; replay and purge to its admin API with the operator token. */
const runCli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCliWith([registerDlqCommand], args, { REDIS_URL, TRADEWIRE_ADMIN_URL: world.url, TRADEWIRE_ADMIN_TOKEN: OPERATOR_TOKEN, ...env });

let world: OperatorWorld;
let ns: string[];
let failedIds: string[];

beforeAll(async () => {
  world = await OperatorWorld.start({ readToken: READ_TOKEN });
  ns = ['--namespace', world.namespace];
  failedIds = await world.deadLetters([
    { outcome: 'failForever', attempts: 2 },
    { outcome: 'unrecoverable', attempts: 2 },
    { outcome: 'failForever', attempts: 1 },
  ]);
});
afterAll(async () => {
  await world?.stop();
});

describe('tradewire dlq list (reads Redis under the namespace)', () => {
  it('prints a table of id, failed at, attempts and reason', async () => {
    const run = await runCli(['dlq', 'list', 'orders', ...ns]);
    expect(run.exitCode).toBe(0);
    const lines = run.out.split('\n');
    expect(lines[0]).toMatch(/^ID\s+FAILED AT\s+ATTEMPTS\s+REASON$/);
    expect(lines).toHaveLength(4);
    expect(run.out).toMatch(new RegExp(`orders:dead:${failedIds[0]}\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\s+2/2\\s+permanent failure of 1`));
    expect(run.out).toMatch(new RegExp(`orders:dead:${failedIds[1]}\\s+\\S+\\s+1/2\\s+invalid payload: n=2 rejected`));
  });

  it('takes the namespace from TRADEWIRE_NAMESPACE as the runtime does, and finds nothing under another', async () => {
    expect((await runCli(['dlq', 'list', 'orders'], { TRADEWIRE_NAMESPACE: world.namespace })).out.split('\n')).toHaveLength(4);
    expect((await runCli(['dlq', 'list', 'orders', '--namespace', `${world.namespace}-other`])).out).toBe('no dead letters in orders:dead');
  });

  it('refuses a namespace that is not one key segment, naming it', async () => {
    const run = await runCli(['dlq', 'list', 'orders', '--namespace', 'a:b']);
    expect(run.exitCode).toBe(2);
    expect(run.err).toMatch(/namespace: must be letters, digits/);
  });

  it('prints JSON records with --json, honouring --offset and --limit', async () => {
    const run = await runCli(['dlq', 'list', 'orders', '--json', '--offset', '1', '--limit', '1', ...ns]);
    expect(run.exitCode).toBe(0);
    const records = JSON.parse(run.out) as DeadLetterRecord[];
    expect(records).toHaveLength(1);
    expect(records[0]).toHaveProperty('payload');
  });

  it('says so for a queue without dead letters', async () => {
    const run = await runCli(['dlq', 'list', 'reports', ...ns]);
    expect(run.exitCode).toBe(0);
    expect(run.out).toBe('no dead letters in reports:dead');
  });

  it.each([['orders:dead'], ['']])('rejects the queue name %j with exit code 2', async (queue) => {
    const run = await runCli(['dlq', 'list', queue, ...ns]);
    expect(run.exitCode).toBe(2);
    expect(run.err).toContain('invalid queue name');
  });

  it('rejects a non-numeric --limit with exit code 2', async () => {
    const run = await runCli(['dlq', 'list', 'orders', '--limit', 'lots', ...ns]);
    expect(run.exitCode).toBe(2);
    expect(run.err).toContain('--limit must be a whole number');
  });
});

describe('tradewire dlq show', () => {
  it('prints the full record: payload, error and stack', async () => {
    const run = await runCli(['dlq', 'show', `orders:dead:${failedIds[0]}`, ...ns]);
    expect(run.exitCode).toBe(0);
    const record = JSON.parse(run.out) as DeadLetterRecord;
    expect(record).toMatchObject({ id: `orders:dead:${failedIds[0]}`, payload: { n: 1, outcome: 'failForever' }, attemptsMade: 2, error: { message: 'permanent failure of 1' } });
    expect(record.error.stack).toContain('permanent failure of 1');
    expect(record.stacktrace).toHaveLength(2);
  });

  it('accepts a bare job id with --queue', async () => {
    const run = await runCli(['dlq', 'show', failedIds[1]!, '--queue', 'orders', ...ns]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ kind: 'unrecoverable', attemptsMade: 1 });
  });

  it('explains an unknown id and exits 1', async () => {
    const run = await runCli(['dlq', 'show', 'orders:dead:does-not-exist', ...ns]);
    expect(run.exitCode).toBe(1);
    expect(run.err).toBe('error: no dead letter "orders:dead:does-not-exist"; see `tradewire dlq list <queue>`');
    expect(run.out).toBe('');
  });

  it('exits 2 for a bare id without --queue, or a --queue that contradicts the id', async () => {
    const bare = await runCli(['dlq', 'show', '42', ...ns]);
    expect(bare.exitCode).toBe(2);
    expect(bare.err).toContain('<queue>:dead:<jobId>');
    const contradicting = await runCli(['dlq', 'show', 'orders:dead:1', '--queue', 'reports', ...ns]);
    expect(contradicting.exitCode).toBe(2);
  });
});

describe('tradewire dlq replay (through the admin API)', () => {
  it('replays one dead letter once; the second replay submits nothing; both are audited', async () => {
    const before = await world.ordersQueue.count();
    const audited = world.audited.length;
    const first = await runCli(['dlq', 'replay', `orders:dead:${failedIds[0]}`]);
    const second = await runCli(['dlq', 'replay', `orders:dead:${failedIds[0]}`]);
    expect(first.exitCode).toBe(0);
    expect(first.out).toBe(`replayed orders:dead:${failedIds[0]} as job replay-${failedIds[0]}`);
    expect(second.exitCode).toBe(0);
    expect(second.out).toContain('already replayed');
    expect((await world.ordersQueue.count()) - before).toBe(1);
    expect(world.audited.slice(audited).map((r) => [r.route, r.role, r.statusCode])).toEqual([
      ['/dlq/:queue/replay', 'operator', 200],
      ['/dlq/:queue/replay', 'operator', 200],
    ]);
  });

  it('replays the rest with --all --queue', async () => {
    const before = await world.ordersQueue.count();
    const run = await runCli(['dlq', 'replay', '--all', '--queue', 'orders']);
    expect(run.exitCode).toBe(0);
    expect(run.out.split('\n').at(-1)).toBe('2 replayed, 1 already replayed, 0 in progress elsewhere, 0 not replayable');
    expect((await world.ordersQueue.count()) - before).toBe(2);
  });

  it('exits 1 for an unknown id (the API says why) and 2 for bad usage, with nothing sent', async () => {
    const unknown = await runCli(['dlq', 'replay', 'orders:dead:nope']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.err).toBe('error: id: no dead letter "orders:dead:nope" (HTTP 404 dead_letter_not_found)');
    const audited = world.audited.length;
    expect((await runCli(['dlq', 'replay', '--all'])).exitCode).toBe(2);
    expect((await runCli(['dlq', 'replay'])).exitCode).toBe(2);
    expect((await runCli(['dlq', 'replay', 'orders:dead:1', '--all', '--queue', 'orders'])).exitCode).toBe(2);
    expect(world.audited).toHaveLength(audited);
  });
});

describe('tradewire dlq purge (through the admin API)', () => {
  it.each([['abc'], ['7'], ['-1d'], ['1.5h'], ['7 days'], ['']])('rejects the duration %j with exit code 2', async (duration) => {
    const run = await runCli(['dlq', 'purge', '--older-than', duration, '--queue', 'orders']);
    expect(run.exitCode).toBe(2);
    expect(run.err).toContain('--older-than: invalid duration');
  });

  it('needs --queue', async () => {
    const run = await runCli(['dlq', 'purge', '--older-than', '7d']);
    expect(run.exitCode).toBe(2);
    expect(run.err).toContain('--queue');
  });

  it('the read token is refused (403), and nothing is purged', async () => {
    const run = await runCli(['dlq', 'purge', '--older-than', '0ms', '--queue', 'orders', '--token', READ_TOKEN]);
    expect(run.exitCode).toBe(1);
    expect(run.err).toMatch(/read-only role.*\(HTTP 403 forbidden\)/);
    expect(await world.deadCount()).toBe(3);
  });

  it('keeps recent dead letters and purges old ones', async () => {
    const keep = await runCli(['dlq', 'purge', '--older-than', '7d', '--queue', 'orders']);
    expect(keep).toMatchObject({ exitCode: 0, out: 'purged 0 dead letters older than 7d from orders:dead' });
    const all = await runCli(['dlq', 'purge', '--older-than', '0ms', '--queue', 'orders']);
    expect(all).toMatchObject({ exitCode: 0, out: 'purged 3 dead letters older than 0ms from orders:dead' });
    expect((await runCli(['dlq', 'list', 'orders', ...ns])).out).toBe('no dead letters in orders:dead');
  });
});

describe('connecting', () => {
  it('reads exit 1 with a clear message when Redis is unreachable, without hanging or showing the password', async () => {
    const run = await runCli(['dlq', 'list', 'orders', '--redis-url', 'redis://:hunter2@127.0.0.1:1']);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain('cannot reach Redis at');
    expect(run.err).not.toContain('hunter2');
  });

  it('reads exit 2 for a URL that is not a Redis URL', async () => {
    const run = await runCli(['dlq', 'list', 'orders', '--redis-url', 'http://localhost:6379']);
    expect(run.exitCode).toBe(2);
    expect(run.err).toContain('redis://');
  });

  it('changes exit 1 naming the admin URL when the API is unreachable', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}`;
    const run = await runCli(['dlq', 'purge', '--older-than', '0ms', '--queue', 'orders'], { TRADEWIRE_ADMIN_URL: url });
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain(`cannot reach the tradewire admin API at ${url}`);
  });
});
