import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type RunningProcess } from './processHarness.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { redisUrlForDb } from '../support/redisUrl.ts';

const running: RunningProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

// A Redis database of its own: the real process runs the demo strategy and keeps orders there.
const TEST_REDIS_URL = redisUrlForDb(9);

function start(env: Record<string, string> = {}, args: string[] = []) {
  const p = runCli(['start', ...args], { REDIS_URL: TEST_REDIS_URL, ...env });
  running.push(p);
  return p;
}

async function adminUrl(p: RunningProcess): Promise<string> {
  const line = await p.waitForLine(/admin listening on http:\/\/127\.0\.0\.1:\d+/);
  return /admin listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
}

describe('tradewire start (real process, real Redis)', () => {
  it('comes up, answers /ready, shows the tree, accepts an injected event and stops cleanly on SIGTERM', async () => {
    const token = 'e2e-secret-token-value';
    const p = start({ TRADEWIRE_ADMIN_TOKEN: token });
    const url = await adminUrl(p);
    await p.waitForLine(/"message":"ready"/);

    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);

    const tree = (await (await fetch(`${url}/actors`)).json()) as { systemId: string; children: { systemId: string; children: { systemId: string; state: unknown }[] }[] };
    expect(tree.systemId).toBe('root');
    expect((tree as unknown as { startedAt: string }).startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const infra = tree.children.find((c) => c.systemId === 'infra')!;
    expect(infra.children.map((c) => c.systemId)).toContain('redis');

    const injected = await fetch(`${url}/actors/redis/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'PING' }),
    });
    expect(injected.status).toBe(202);
    expect(await injected.json()).toMatchObject({ delivery: 'delivered', systemId: 'redis' });

    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.lines.some((l) => l.includes('"message":"stopped"'))).toBe(true);
    expect(p.lines.join('\n')).not.toContain(token);
  });

  it('refuses to start on an invalid config value, naming the key', async () => {
    const p = start({ TRADEWIRE_ADMIN_PORT: 'not-a-port' });
    const { code } = await p.exited;
    expect(code).toBe(2);
    expect(p.lines.join('\n')).toMatch(/admin\.port/);
  });

  it('stops with a clear message when Redis cannot be reached, instead of hanging', async () => {
    const p = start({ REDIS_URL: 'redis://127.0.0.1:1' });
    const { code } = await p.exited;
    expect(code).toBe(1);
    const output = p.lines.join('\n');
    expect(output).toMatch(/Redis is not reachable at redis:\/\/127\.0\.0\.1:1/);
    expect(output).toMatch(/REDIS_URL/);
  });
});

describe('the demo flow under npm start (real process, simulator, Redis db 9)', () => {
  it('runs the demo strategy: orders go queue → order actor → simulator → fills', async () => {
    const { Redis } = await import('ioredis');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const redis = new Redis(TEST_REDIS_URL);
    await redis.flushdb();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tw-demo-')), 'demo.json');
    writeFileSync(file, JSON.stringify({ orders: { demo: { enabled: true, intervalMs: 200, account: 'DU1234567' } } }));
    const p = start({ TRADEWIRE_CONFIG: file });
    await p.waitForLine(/"message":"order finished".*"state":"filled"/, 15_000);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    const fills = await redis.keys(`${namespaceKeys().bullPrefix}:fills:*`);
    expect(fills.length).toBeGreaterThan(0);
    await redis.flushdb();
    redis.disconnect();
  });
});
