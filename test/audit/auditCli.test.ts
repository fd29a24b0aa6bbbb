import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS, type OrderAuditTrail, type VerifyReport } from '../../src/audit/index.ts';
import { registerAuditCommand } from '../../src/cli/commands/audit.ts';
import { runCliWith } from '../cli/cliHarness.ts';
import { connectRedis, deleteTrail, freshTrail, received, REDIS_URL } from './auditFixture.ts';
import { readRaw, writeChain } from './trailCopy.ts';

const runCli = (args: string[], env: NodeJS.ProcessEnv = { REDIS_URL }) => runCliWith([registerAuditCommand], args, env);

const redis = connectRedis();
const trails: OrderAuditTrail[] = [];
const trail = () => {
  const created = freshTrail(redis);
  trails.push(created);
  return created;
};
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tradewire-audit-'));
});
afterEach(async () => {
  for (const created of trails.splice(0)) await deleteTrail(redis, created);
});
afterAll(async () => {
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

/** Records on 2024-03-14, 2024-03-15 (two) and 2024-03-16, UTC. */
const TIMES = [Date.UTC(2024, 2, 14, 12), Date.UTC(2024, 2, 15, 9, 30, 0, 123), Date.UTC(2024, 2, 15, 23, 59, 59, 999), Date.UTC(2024, 2, 16, 0)];

describe('tradewire audit verify', () => {
  it('a clean trail: exit 0, says what it checked and that it is OK', async () => {
    const audit = trail();
    for (let n = 0; n < 3; n += 1) await audit.append(received(`c${n}`));
    const run = await runCli(['audit', 'verify', '--key', audit.keys.stream]);
    expect(run.err).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.out).toContain('checked 3 records, seq 1..3');
    expect(run.out).toContain('OK: no record changed, removed, added or reordered');
    expect(run.out).toMatch(/head: seq 3 hash [0-9a-f]{64}/);
  });

  it('a tampered trail: exit 1, names the record; --json gives the report', async () => {
    const audit = trail();
    for (let n = 0; n < 4; n += 1) await audit.append(received(`t${n}`));
    const entries = await readRaw(redis, audit.keys.stream);
    await redis.xdel(audit.keys.stream, entries[1]![0].toString());
    const run = await runCli(['audit', 'verify', '--key', audit.keys.stream]);
    expect(run.exitCode).toBe(1);
    expect(run.out).toContain('TAMPERED: 1 finding\n  - seq 2 is missing: removed from the trail');
    const json = await runCli(['audit', 'verify', '--key', audit.keys.stream, '--json']);
    expect(json.exitCode).toBe(1);
    expect((JSON.parse(json.out) as VerifyReport).findings).toEqual([expect.objectContaining({ kind: 'missing', fromSeq: 2, toSeq: 2 })]);
  });

  it('--from/--to take ISO, UTC dates (whole day for --to) and epoch ms', async () => {
    const audit = trail();
    await writeChain(redis, audit.keys.stream, TIMES);
    const day = await runCli(['audit', 'verify', '--key', audit.keys.stream, '--from', '2024-03-15', '--to', '2024-03-15', '--json']);
    expect(day.exitCode).toBe(0);
    expect(JSON.parse(day.out)).toMatchObject({ ok: true, checked: 2, first: { seq: 2 }, last: { seq: 3 } });
    const iso = await runCli(['audit', 'verify', '--key', audit.keys.stream, '--from', '2024-03-15T10:30:00.123+01:00', '--to', String(TIMES[3]), '--json']);
    expect(JSON.parse(iso.out)).toMatchObject({ ok: true, checked: 3, first: { seq: 2 }, last: { seq: 4 } });
    const legacyText = await runCli(['audit', 'verify', '--key', audit.keys.stream, '--from', '2024-03-15']);
    expect(legacyText.out).toContain('anchored by: seq 1');
  });

  it.each([
    [['--from', 'yesterday'], '--from "yesterday" is not a time'],
    [['--from', '2024-02-30'], '--from "2024-02-30" is not a time'],
    [['--from', '2024-03-15T10:00:00'], 'is not a time'],
    [['--from', '2024-03-16', '--to', '2024-03-15'], '--from 2024-03-16 is after --to 2024-03-15'],
    [['--key', 'has space'], 'key: must not contain whitespace'],
    [['--redis-url', 'http://x'], 'must start with redis://'],
  ])('bad input %j: exit 2, nothing touched', async (args, message) => {
    const run = await runCli(['audit', 'verify', ...args], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.exitCode).toBe(2);
    expect(run.err).toContain(message);
  });

  it('Redis unreachable: exit 1 with a clear message', async () => {
    const run = await runCli(['audit', 'verify'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain('cannot reach Redis at redis://127.0.0.1:1');
  });
});

describe('tradewire audit export', () => {
  it('jsonl to stdout, the records of the range', async () => {
    const audit = trail();
    await writeChain(redis, audit.keys.stream, TIMES);
    const run = await runCli(['audit', 'export', '--key', audit.keys.stream, '--from', '2024-03-15', '--to', '2024-03-15', '--format', 'jsonl']);
    expect(run.exitCode).toBe(0);
    expect(run.out.split('\n').map((line) => JSON.parse(line).seq)).toEqual([2, 3]);
    expect(run.err).toBe('exported 2 records');
  });

  it('csv to --out: written atomically, no temp file left behind', async () => {
    const audit = trail();
    await writeChain(redis, audit.keys.stream, TIMES);
    const out = join(dir, 'examiner.csv');
    const run = await runCli(['audit', 'export', '--key', audit.keys.stream, '--from', String(TIMES[0]), '--to', '2024-03-16', '--format', 'csv', '--out', out]);
    expect(run.exitCode).toBe(0);
    expect(run.out).toBe(`wrote 4 records to ${out}`);
    const lines = (await readFile(out, 'utf8')).split('\r\n');
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    expect(lines[1]!.startsWith('1,2024-03-14T12:00:00.000Z,1710417600000,received,t1,DU1234567,orders,')).toBe(true);
    expect(lines).toHaveLength(6);
    expect(await readdir(dir)).toEqual(['examiner.csv']);
  });

  it('an export to a directory that does not exist fails with exit 1', async () => {
    const out = join(dir, 'missing-dir', 'x.csv');
    const run = await runCli(['audit', 'export', '--key', trail().keys.stream, '--from', '0', '--to', '1', '--format', 'csv', '--out', out]);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain('ENOENT');
  });

  it.each([
    [['--to', '1', '--format', 'csv'], "required option '--from <time>' not specified"],
    [['--from', '0', '--to', '1', '--format', 'xml'], '--format must be csv or jsonl; got "xml"'],
  ])('bad input %j: exit non-zero with the reason', async (args, message) => {
    const run = await runCli(['audit', 'export', ...args]);
    expect(run.exitCode).not.toBe(0);
    expect(run.err).toContain(message);
  });
});

describe('tradewire audit retention', () => {
  it('prints the policy, oldest record and counts; refuses a period under 5 years', async () => {
    const audit = trail();
    await writeChain(redis, audit.keys.stream, TIMES);
    const run = await runCli(['audit', 'retention', '--key', audit.keys.stream]);
    expect(run.exitCode).toBe(0);
    expect(run.out).toContain('policy: keep 5 years, readily accessible for 2');
    expect(run.out).toContain('oldest: seq 1 at 2024-03-14T12:00:00.000Z');
    expect(run.out).toContain('next eligible for deletion: after 2029-03-14T12:00:00.000Z');
    const json = await runCli(['audit', 'retention', '--key', audit.keys.stream, '--json', '--retention-years', '7']);
    expect(JSON.parse(json.out)).toMatchObject({ retentionYears: 7, records: 4 });
    const refused = await runCli(['audit', 'retention', '--retention-years', '3']);
    expect(refused.exitCode).toBe(2);
    expect(refused.err).toContain('retentionYears: must be at least 5 (CFTC 1.31, NFA 2-10)');
  });
});
