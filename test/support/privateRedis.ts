import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/runtime/freePort.ts';
import { waitUntil } from './waitUntil.ts';

export interface PrivateRedis {
  port: number;
  /** `redis://[:password@]127.0.0.1:<port>` */
  url: string;
  /** Stops the server (unless durable, the data goes with it: nothing is saved). */
  stop(): Promise<void>;
  /** Starts it again on the same port: empty, or with its data when durable. */
  start(): Promise<void>;
  /** Deletes the server's files (after stop). */
  remove(): void;
}

/**
 * A redis-server of the test's own on a free port, never the shared one: for outages, wrong
 * passwords and restarts. Unless `durable`, nothing is persisted, so a restart is an empty server.
 */
export interface PrivateRedisOptions {
  password?: string;
  /** Keep the data across stop/start (an outage, not a wipe). */
  durable?: boolean;
  /** Passed to redis-server as they are (e.g. to turn persistence settings on). */
  extraArgs?: string[];
}

export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const port = await freePort();
  // Its own directory always: a test that turns persistence on must not leave files in the work tree.
  const dir = mkdtempSync(path.join(tmpdir(), 'tradewire-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', options.durable ? 'yes' : 'no', ...(options.extraArgs ?? [])];
  if (options.password) args.push('--requirepass', options.password);
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  let server: ChildProcess | null = null;

  const start = async () => {
    if (server) return;
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    server = child;
    child.once('exit', () => {
      if (server === child) server = null;
    });
    await waitUntil(async () => {
      const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, ...(options.password ? { password: options.password } : {}) });
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

  await start();
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    start,
    async stop() {
      const child = server;
      if (!child) return;
      const exited = once(child, 'exit');
      // A durable one flushes its append-only file; one that keeps nothing has nothing to flush
      // (and a shutdown could wait on a background rewrite a test started with CONFIG SET).
      child.kill(options.durable ? 'SIGTERM' : 'SIGKILL');
      await exited;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
