import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliWith } from '../../cli/cliHarness.ts';
import { registerMdCommand } from '../../../src/cli/commands/md.ts';
import { readRejects, RejectStreamWriter } from '../../../src/marketdata/rejectStream.ts';
import { makeEngine, send, T0 } from './engineKit.ts';
import { redisUrlForDb } from '../../support/redisUrl.ts';

const REDIS_URL = redisUrlForDb(13);
const key = `test:md:rejects:${process.pid}:${Date.now()}`;
let redis: Redis;

const runCli = (args: string[], env: NodeJS.ProcessEnv = { REDIS_URL }) => runCliWith([registerMdCommand], args, env);

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const { engine, clock } = makeEngine({ rejects: { ringSize: 16, streamKey: key, streamMaxLen: 1_000, flushIntervalMs: 1_000 } });
  const writer = new RejectStreamWriter(engine, redis, { key, maxLen: 1_000, flushIntervalMs: 1_000 });
  send(engine, 'ib', [{ last: Number.POSITIVE_INFINITY }, { bid: 5, ask: 4 }], clock);
  send(engine, 'replay', [{ instrument: 1, last: -3 }, { instrument: 9, last: 1 }], clock);
  await writer.stop();
  expect(writer.persisted).toBe(4);
});
afterAll(async () => {
  await redis.del(key);
  redis.disconnect();
});

describe('rejects in Redis', () => {
  it('keeps the raw values, newest first, filterable by source and symbol', async () => {
    const all = await readRejects(redis, { key, limit: 10 });
    expect(all.map((r) => [r.source, r.symbol, r.reason])).toEqual([
      ['replay', '#9', 'unknown_instrument'],
      ['replay', 'NQ', 'non_positive'],
      ['ib', 'ES', 'crossed'],
      ['ib', 'ES', 'non_finite'],
    ]);
    expect(all[3]).toMatchObject({ last: Number.POSITIVE_INFINITY, sourceTsMs: T0 });
    expect(Number.isNaN(all[3]!.bid)).toBe(true);
    expect((await readRejects(redis, { key, source: 'ib', limit: 1 })).map((r) => r.reason)).toEqual(['crossed']);
    expect((await readRejects(redis, { key, symbol: 'NQ' })).map((r) => r.last)).toEqual([-3]);
  });

  it('counts entries overwritten in the ring before they could be written', async () => {
    const { engine, clock } = makeEngine({ rejects: { ringSize: 16, streamKey: key, streamMaxLen: 1_000, flushIntervalMs: 1_000 } });
    const writer = new RejectStreamWriter(engine, redis, { key: `${key}:overflow`, maxLen: 1_000, flushIntervalMs: 1_000 });
    send(engine, 'ib', Array.from({ length: 40 }, () => ({ last: 0 })), clock);
    await writer.stop();
    await redis.del(`${key}:overflow`);
    expect([writer.persisted, writer.unpersisted]).toEqual([16, 24]);
  });
});

describe('tradewire md rejects', () => {
  it('prints a table with the raw values', async () => {
    const run = await runCli(['md', 'rejects', '--key', key, '--source', 'ib']);
    expect(run.exitCode).toBe(0);
    const lines = run.out.split('\n');
    expect(lines[0]).toMatch(/^AT\s+SOURCE\s+SYMBOL\s+REASON\s+BID\s+ASK\s+LAST\s+SOURCE TS$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/ib\s+ES\s+crossed\s+5\s+4\s+NaN/);
    expect(lines[2]).toMatch(/ib\s+ES\s+non_finite\s+NaN\s+NaN\s+Infinity/);
  });

  it('prints JSON with --json, keeping NaN and Infinity readable', async () => {
    const run = await runCli(['md', 'rejects', '--key', key, '--symbol', 'ES', '--limit', '1', '--json']);
    expect(JSON.parse(run.out)).toEqual([expect.objectContaining({ source: 'ib', reason: 'crossed', bid: 5, last: 'NaN' })]);
  });

  it('says so when nothing matches', async () => {
    const run = await runCli(['md', 'rejects', '--key', key, '--symbol', 'ZZ']);
    expect([run.exitCode, run.out]).toEqual([0, 'no rejected ticks recorded for symbol ZZ']);
  });

  it.each([
    [['--limit', 'ten'], /--limit must be a whole number/],
    [['--reason', 'bogus'], /unknown reason "bogus"/],
  ])('rejects bad flags %j with a usage error', async (flags, message) => {
    const run = await runCli(['md', 'rejects', '--key', key, ...flags]);
    expect(run.exitCode).toBe(2);
    expect(run.err).toMatch(message);
  });

  it('fails clearly when Redis cannot be reached', async () => {
    const run = await runCli(['md', 'rejects', '--redis-url', 'redis://127.0.0.1:1']);
    expect(run.exitCode).toBe(1);
    expect(run.err).toMatch(/cannot reach Redis/);
  });
});
