import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/waitUntil.ts';
import { redisUrlForDb } from '../support/redisUrl.ts';

const ROOT = path.resolve(__dirname, '../..');
const TEST_REDIS_URL = redisUrlForDb(9);
const killLater: number[] = [];
afterEach(() => {
  for (const pid of killLater.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `npm start` until the runtime is ready; `detached` puts it in a process group of its own. */
async function npmStart(detached = false) {
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    // A namespace of its own: start.test.ts runs its runtime on the same Redis database, and two
    // runtimes in one namespace make the later one a standby that is never ready.
    env: { ...process.env, REDIS_URL: TEST_REDIS_URL, TRADEWIRE_NAMESPACE: 'npm-start-test', TRADEWIRE_ADMIN_PORT: '0', TRADEWIRE_CONFIG: path.join(ROOT, 'test/e2e/fixtures/no-demo.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  killLater.push(npm.pid!);
  const run = { npm, output: '', exited: new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code))), runtimePid: 0 };
  npm.stdout.on('data', (chunk: Buffer) => (run.output += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (run.output += chunk.toString()));
  // Under a loaded CI a cold start can be slow; if it never gets ready, say what it printed.
  await waitUntil(() => run.output.includes('"message":"ready"'), 'the runtime to be ready', 45_000).catch((error: Error) => {
    throw new Error(`${error.message}; npm start printed:\n${run.output.slice(-3000)}`);
  });
  // The runtime is npm's own child (exec replaced the shell): the process the signal must reach.
  run.runtimePid = Number(execFileSync('pgrep', ['-P', String(npm.pid)]).toString().trim().split('\n')[0]);
  killLater.push(run.runtimePid);
  return run;
}

describe('npm start passes signals to the runtime (systemd, Docker and pm2 signal npm)', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s to npm stops the runtime gracefully: npm exits 0 and leaves no orphan', async (signal) => {
    const run = await npmStart();
    expect(execFileSync('ps', ['-o', 'args=', '-p', String(run.runtimePid)]).toString()).toMatch(/bin\/tradewire\.js start/);
    run.npm.kill(signal);
    expect(await run.exited).toBe(0);
    expect(run.output).toMatch(/"message":"signal received: graceful stop"/);
    expect(run.output).toMatch(/"message":"stopped"/);
    await waitUntil(() => !alive(run.runtimePid), 'the runtime process to be gone', 5_000);
  }, 60_000);

  it('SIGTERM to the whole process group (systemd KillMode=control-group) is one graceful stop, not two', async () => {
    const run = await npmStart(true);
    // npm and the runtime both get it, and npm forwards it too: the runtime sees SIGTERM twice at once.
    process.kill(-run.npm.pid!, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output).not.toMatch(/second signal/);
    expect(run.output).toMatch(/"message":"stopped"/);
    await waitUntil(() => !alive(run.runtimePid), 'the runtime process to be gone', 5_000);
  }, 60_000);
});
