import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type RunningProcess } from '../../e2e/processHarness.ts';
import { registerResumeCommand } from '../../../src/cli/commands/resume.ts';
import { runCliWith } from '../../cli/cliHarness.ts';
import { unusedPort } from '../../cli/liveServer.ts';
import { waitUntil } from '../../support/waitUntil.ts';
import { startVolatileRedis, type VolatileRedis } from './volatileRedis.ts';

const TOKEN = 'continuity-process-token';
let redis: VolatileRedis;
let dir: string;
let configFile: string;
const running: RunningProcess[] = [];

beforeAll(async () => {
  redis = await startVolatileRedis();
  dir = mkdtempSync(path.join(tmpdir(), 'tw-continuity-'));
  configFile = path.join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ orders: { demo: { enabled: false } } }));
});
afterAll(async () => {
  for (const process of running) process.child.kill('SIGKILL');
  await Promise.all(running.map((process) => process.exited));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string>): RunningProcess {
  const process = runCli(args, { TRADEWIRE_CONFIG: configFile, TRADEWIRE_ADMIN_TOKEN: TOKEN, TRADEWIRE_LOG_LEVEL: 'info', ...env });
  running.push(process);
  return process;
}

async function adminUrlOf(process: RunningProcess): Promise<string> {
  const line = await process.waitForLine(/admin listening on/);
  return /admin listening on (http:\/\/\S+?)"/.exec(line)![1]!;
}

async function stop(process: RunningProcess): Promise<number | null> {
  process.child.kill('SIGTERM');
  return (await process.exited).code;
}

describe('a process killed while Redis is wiped', () => {
  it('finds the loss at its restart through the state file, stays unready until `tradewire resume`, which is audited', async () => {
    const stateFile = path.join(dir, 'continuity.json');
    const env = { REDIS_URL: redis.url, TRADEWIRE_REDIS_STATE_FILE: stateFile };
    const first = start(['start'], env);
    const url = await adminUrlOf(first);
    await first.waitForLine(/"message":"ready"/);
    // Sim mode on a Redis that keeps nothing: a warning, not a refusal.
    expect(first.lines.some((line) => line.includes('"message":"redis persistence"') && line.includes('"level":"warn"'))).toBe(true);
    const order = { clientOrderId: 'k-1', account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'MKT', strategy: 'continuity' };
    const submitted = await fetch(`${url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(order) });
    expect(submitted.status).toBe(202);
    const saved = () => JSON.parse(readFileSync(stateFile, 'utf8')) as { auditHead: { seq: number } | null; orderIdMarks: Record<string, number> };
    await waitUntil(() => (saved().auditHead?.seq ?? 0) >= 4 && (saved().orderIdMarks.ib ?? 0) > 0, 'the state file to hold the audit head and the order-id mark', 10_000);

    first.child.kill('SIGKILL');
    await first.exited;
    await redis.admin.flushall();

    const second = start(['start'], env);
    const lost = JSON.parse(await second.waitForLine(/"message":"redis state lost"/)) as Record<string, unknown>;
    expect(lost).toMatchObject({ level: 'error', lost: ['epoch', 'order-id mark', 'audit head'], previousAuditHead: { seq: saved().auditHead!.seq } });
    const secondUrl = await adminUrlOf(second);
    const notReady = await fetch(`${secondUrl}/ready`);
    expect(notReady.status).toBe(503);
    expect(JSON.stringify(await notReady.json())).toMatch(/order intake halted: Redis lost its state/);

    await second.waitForLine(/"message":"order service recovered from the Redis state loss"/);
    const resume = runCli(['resume', '--reason', 'broker checked after the wipe', '--url', secondUrl], { TRADEWIRE_ADMIN_TOKEN: TOKEN });
    expect((await resume.exited).code).toBe(0);
    expect(resume.lines.join('\n')).toMatch(/^resumed: order intake runs again \(cleared: redis-state-lost; audit seq \d+, request id \S+\)$/m);
    expect((await fetch(`${secondUrl}/ready`)).status).toBe(200);
    const resumedLine = second.lines.find((line) => line.includes('"message":"order intake resumed"'));
    expect(JSON.parse(resumedLine!)).toMatchObject({ reason: 'broker checked after the wipe', who: expect.stringMatching(/^cli:/) });

    const missing = await runCliWith([registerResumeCommand], ['resume', '--url', secondUrl], { TRADEWIRE_ADMIN_TOKEN: TOKEN });
    expect(missing.exitCode).toBe(2);
    expect(missing.err).toMatch(/--reason is required/);
    expect(await stop(second)).toBe(0);
  }, 60_000);
});

describe('Redis persistence at start', () => {
  it('with broker mode ib, refuses a Redis that keeps nothing on disk and says why; --allow-volatile-redis (or its env var) starts it with a warning', async () => {
    const env = {
      REDIS_URL: redis.url,
      TRADEWIRE_BROKER: 'ib',
      TRADEWIRE_IB_PORT: String(await unusedPort()),
      TRADEWIRE_REDIS_STATE_FILE: path.join(dir, 'ib-continuity.json'),
    };
    const refused = start(['start'], env);
    expect((await refused.exited).code).toBe(1);
    const said = refused.lines.join('\n');
    expect(said).toContain(`Redis at ${redis.url} keeps nothing on disk (appendonly no, save "")`);
    expect(said).toMatch(/With broker mode ib, tradewire will not start on it/);
    expect(said).toMatch(/--allow-volatile-redis/);

    for (const allowed of [start(['start', '--allow-volatile-redis'], env), start(['start'], { ...env, TRADEWIRE_ALLOW_VOLATILE_REDIS: 'true' })]) {
      await allowed.waitForLine(/admin listening on/);
      const warning = allowed.lines.find((line) => line.includes('"message":"redis persistence"') && line.includes('Started anyway'));
      expect(warning).toBeDefined();
      allowed.child.kill('SIGKILL');
      await allowed.exited;
    }
  }, 60_000);
});
