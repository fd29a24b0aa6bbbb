import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../src/runtime/freePort.ts';

/**
 * A `redis-server` of the chaos run's own, on a free port, never the shared one. It persists
 * (append-only file, fsync every second) so the runtime's persistence check passes; "restarted
 * empty" is then a new data directory on the same port.
 */
export class PrivateRedis {
  private process: ChildProcess | null = null;
  private readonly dirs: string[] = [];

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.launch();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** A connection for the chaos run itself (named, so it is never mistaken for the runtime's). */
  connect(name: string, options: { autoPipelining?: boolean } = {}): Redis {
    const connection = new Redis(this.url, {
      connectionName: `chaos-${name}`,
      maxRetriesPerRequest: null,
      enableAutoPipelining: options.autoPipelining ?? false,
      retryStrategy: () => 100,
    });
    connection.on('error', () => undefined);
    return connection;
  }

  /**
   * Stops the server without saving; `before` runs first on a connection of its own with every
   * other client's writes paused, so what it reads is exactly what the server held when it died.
   * `lastWrites` is started in the same tick as the pause: writes caught in flight (they land
   * just before the pause and nobody can take them after it, or they wait for the next server).
   */
  async shutdownNoSave<T>(before: (paused: Redis) => Promise<T>, lastWrites: () => void = () => {}): Promise<T> {
    const admin = new Redis(this.url, { connectionName: 'chaos-wipe', maxRetriesPerRequest: 0, retryStrategy: () => null, autoResendUnfulfilledCommands: false });
    admin.on('error', () => undefined);
    const exited = this.exited();
    try {
      await admin.ping();
      lastWrites();
      await admin.call('CLIENT', 'PAUSE', '5000', 'WRITE');
      const seen = await before(admin);
      // The reply never comes: the server is gone before it could write one.
      await admin.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
      await exited;
      return seen;
    } finally {
      admin.disconnect();
    }
  }

  /** Starts again on the same port with nothing in it. */
  async startEmpty(): Promise<void> {
    await this.launch();
  }

  async stop(): Promise<void> {
    const exited = this.exited();
    this.process?.kill('SIGTERM');
    await exited;
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  private exited(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => child.once('exit', () => resolve()));
  }

  private async launch(): Promise<void> {
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-chaos-redis-'));
    this.dirs.push(dir);
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--daemonize', 'no'];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${this.port}:\n${output.slice(-2_000)}`)), 10_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}) on port ${this.port}:\n${output.slice(-2_000)}`));
      });
    });
    // Keep draining its output so a chatty server never blocks on a full pipe.
    child.stdout!.removeAllListeners('data').resume();
    child.stderr!.removeAllListeners('data').resume();
  }
}
