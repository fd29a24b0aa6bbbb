import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliDeps } from '../../../src/cli/cliDeps.ts';
import { registerReportCommand } from '../../../src/cli/commands/report.ts';
import { fieldOf } from '../../../src/regulatory/cftc/formats/cftc80/recordLayout.ts';
import { RedisPositionSource } from '../../../src/regulatory/sources/redisPositionSource.ts';
import { REDIS_URL, testRedis, uniquePrefix } from './monitoringKit.ts';
import { waitUntil } from '../../support/waitUntil.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function runReport(args: string[], positionSource: () => RedisPositionSource) {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode: number | undefined;
  const deps: CliDeps = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, setExitCode: (code) => (exitCode = code) };
  const program = new Command('tradewire').exitOverride();
  registerReportCommand(program, deps, { positionSource, today: () => '2025-03-03' });
  await program.parseAsync(['report', ...args], { from: 'user' });
  return { exitCode, out: out.join('\n'), err: err.join('\n') };
}

describe('tradewire report without --positions: the runtime\'s close-of-day positions in Redis', () => {
  it('preview and form40 read the recorded close, and the CLI\'s connection is closed after the command', async () => {
    const prefix = uniquePrefix('cli');
    const { redis, cleanup } = testRedis(prefix);
    cleanups.push(cleanup);
    await new RedisPositionSource(redis, prefix).recordClose('2025-03-03', [{ account: 'DU1234567', symbol: 'ZC', contractMonth: '202703', net: -260 }]);

    const opened: RedisPositionSource[] = [];
    const source = () => {
      const connected = RedisPositionSource.connect(REDIS_URL, prefix);
      opened.push(connected);
      return connected;
    };
    const preview = await runReport(['preview', '--date', '2025-03-03'], source);
    expect(preview.exitCode).toBe(0);
    expect(Number(fieldOf(preview.out, 'shortSellIssued'))).toBe(260);

    const form40 = await runReport(['form40', '--json'], source);
    expect(form40.exitCode).toBe(0);
    expect(JSON.parse(form40.out)).toMatchObject({ asOf: '2025-03-03', accounts: [{ accountId: 'DU1234567' }] });
    expect(form40.out).toContain('Corn');

    expect(opened).toHaveLength(2);
    // quit() was sent: the connection ends once Redis answers it, so the CLI process can exit.
    for (const connected of opened) await waitUntil(() => (connected as unknown as { redis: { status: string } }).redis.status === 'end', 'the CLI connection closed');
  });
});
