import { Command } from 'commander';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrderCommand } from '../../src/cli/commands/order.ts';
import type { CliDeps } from '../../src/cli/cliDeps.ts';
import { loadConfig } from '../../src/config/index.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { BreakRegistry } from '../../src/orders/breakRegistry.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { redisUrlForDb } from '../support/redisUrl.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

// A database of its own: the CLI and the runtime use the default namespace's keys.
const REDIS_URL = redisUrlForDb(8);
const TOKEN = 'order-cli-operator-token';
const READ_TOKEN = 'order-cli-read-token';
let main: MainProcess;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  await redis.flushdb();
  const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { redis: { url: REDIS_URL }, admin: { port: 0, token: TOKEN, readToken: READ_TOKEN }, orders: { demo: { enabled: false } } } });
  main = await startMainProcess(config, createSilentLogger(), { capabilities: ['broker', 'orders'] });
  await main.whenActive();
});
afterAll(async () => {
  await main?.stop();
  await redis.flushdb();
  redis.disconnect();
});

/** The CLI as an operator runs it: the admin URL and operator token in the environment, Redis for reads. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  const env = { REDIS_URL, TRADEWIRE_ADMIN_URL: main.admin.url, TRADEWIRE_ADMIN_TOKEN: TOKEN };
  const deps: CliDeps = { out: (l) => out.push(l), err: (l) => err.push(l), env, setExitCode: (c) => void (code = c) };
  const program = new Command('tradewire').exitOverride();
  registerOrderCommand(program, deps);
  await program.parseAsync(['node', 'tradewire', ...args]);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const until = (check: () => Promise<boolean>, what: string) => waitUntil(check, what, 5_000);

describe('tradewire order (CLI through the admin API of a running runtime)', () => {
  it('submits a market order that fills, and shows its full history', async () => {
    const submitted = await cli('order', 'submit', '--symbol', 'ES', '--expiry', '202703', '--side', 'BUY', '--qty', '2', '--id', 'cli-mkt-1');
    expect(submitted).toMatchObject({ code: 0 });
    expect(submitted.out).toMatch(/^queued cli-mkt-1 \(job \S+\)$/);
    await until(async () => (await cli('order', 'show', 'cli-mkt-1')).out.includes(': filled'), 'filled');
    const shown = await cli('order', 'show', 'cli-mkt-1');
    expect(shown.out).toMatch(/received/);
    expect(shown.out).toMatch(/sent/);
    expect(shown.out).toMatch(/filled/);
    expect((await cli('order', 'list')).out).toMatch(/cli-mkt-1 {2}filled {2}BUY 2 ES MKT {2}filled=2/);
  });

  it('cancels a resting limit order; list --open no longer shows it', async () => {
    await cli('order', 'submit', '--symbol', 'ES', '--expiry', '202703', '--side', 'BUY', '--qty', '1', '--type', 'LMT', '--limit', '100', '--id', 'cli-lmt-1');
    await until(async () => (await cli('order', 'list', '--open')).out.includes('cli-lmt-1  working'), 'working');
    const cancelled = await cli('order', 'cancel', 'cli-lmt-1');
    expect(cancelled.code).toBe(0);
    expect(cancelled.out).toMatch(/^cancel requested for cli-lmt-1 \(job \S+\)$/);
    await until(async () => (await cli('order', 'show', 'cli-lmt-1')).out.includes(': cancelled'), 'cancelled');
    expect((await cli('order', 'list', '--open')).out).not.toMatch(/cli-lmt-1/);
  });

  it('modifies a resting limit order so that it fills', async () => {
    await cli('order', 'submit', '--symbol', 'ES', '--expiry', '202703', '--side', 'BUY', '--qty', '1', '--type', 'LMT', '--limit', '100', '--id', 'cli-mod-1');
    await until(async () => (await cli('order', 'list', '--open')).out.includes('cli-mod-1  working'), 'working');
    expect((await cli('order', 'modify', 'cli-mod-1', '--limit', '99999')).code).toBe(0);
    await until(async () => (await cli('order', 'show', 'cli-mod-1')).out.includes(': filled'), 'filled after the modify');
    expect((await cli('order', 'modify', 'cli-mod-1')).code).toBe(2);
  });

  it('refuses an invalid order before anything is sent, naming the field', async () => {
    const result = await cli('order', 'submit', '--symbol', 'ES', '--expiry', '202703', '--side', 'BUY', '--qty', '1', '--type', 'LMT');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/limitPrice: required for orderType LMT/);
    expect((await cli('order', 'show', 'nope')).code).toBe(1);
  });

  it('clears a break through the API: breaks lists it, clear-break unlocks it, a second clear says there is none', async () => {
    const registry = new BreakRegistry(redis, `${namespaceKeys(main.config.namespace).ordersPrefix}:breaks`);
    await registry.record({ symbol: 'ZN', kind: 'unknown_fill', detail: 'exec 9 unknown', at: '2026-01-01T00:00:00.000Z' });
    await until(async () => main.orders!.service.breaks.lockedInstruments.has('ZN'), 'ZN locked');
    expect((await cli('order', 'breaks')).out).toMatch(/^ZN {2}unknown_fill/m);

    const cleared = await cli('order', 'clear-break', 'ZN', '--reason', 'statement checked');
    expect(cleared).toMatchObject({ code: 0, out: expect.stringMatching(/^break for ZN cleared/) });
    await until(async () => !main.orders!.service.breaks.lockedInstruments.has('ZN'), 'ZN unlocked by the order service');
    expect((await cli('order', 'breaks')).out).toBe('no open breaks');

    const again = await cli('order', 'clear-break', 'ZN');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/no open break for ZN.*\(HTTP 404 unknown_break\)/);
  });

  it('the read-only token cannot submit: 403 naming the role, exit 1, nothing stored', async () => {
    const refused = await cli('order', 'submit', '--symbol', 'ES', '--expiry', '202703', '--side', 'BUY', '--qty', '1', '--id', 'cli-read-1', '--token', READ_TOKEN);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/read-only role.*\(HTTP 403 forbidden\)/);
    expect(await main.orders!.service.store.load('cli-read-1')).toBeNull();
  });
});
