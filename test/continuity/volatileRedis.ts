import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/runtime/freePort';
import { waitUntil } from '../support/waitUntil';

export interface VolatileRedis {
  port: number;
  url: string;
  /** A connection of the test's own (closed by stop). */
  admin: Redis;
  /** `SHUTDOWN NOSAVE`, then a new empty server on the same port: Redis restarted without its data. */
  restartEmpty(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free port (`--save '' --appendonly no`: it keeps nothing),
 * for wiping and restarting; never the shared one. `extraArgs` go to redis-server as they are.
 */
export async function startVolatileRedis(extraArgs: string[] = []): Promise<VolatileRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  // Its own directory: a test that turns persistence on must not leave files in the work tree.
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-volatile-redis-'));
  let server: ChildProcess | null = null;
  const exited = () => new Promise<void>((resolve) => (server === null || server.exitCode !== null || server.signalCode !== null ? resolve() : server.once('exit', () => resolve())));
  const launch = async () => {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...extraArgs], { stdio: 'ignore' });
    await waitUntil(async () => {
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.disconnect();
      }
    }, `redis-server on port ${port}`, 10_000);
  };
  await launch();
  const admin = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
  admin.on('error', () => undefined);
  return {
    port,
    url,
    admin,
    async restartEmpty() {
      const gone = exited();
      const killer = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      killer.on('error', () => undefined);
      await killer.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
      killer.disconnect();
      await gone;
      await launch();
    },
    async stop() {
      admin.disconnect();
      const gone = exited();
      server?.kill('SIGKILL');
      await gone;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
