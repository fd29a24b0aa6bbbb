/**
 * Startup benchmark: how long an operator waits, through the compiled `bin/tradewire.js`.
 *   ready_ms          `tradewire start` (sim broker, demo strategy off) until its `ready` log line
 *   cli_ms            `tradewire actors` against that running instance, spawn to exit
 *   help_ms           `tradewire --help`, spawn to exit
 *   node_baseline_ms  `node -e ''`, spawn to exit: what any Node process costs on this machine now
 * Medians of several runs. The runtime uses the Redis at $REDIS_URL (default 127.0.0.1:6379) under a
 * namespace of its own, deleted afterwards; admin API and simulator take free ports.
 * Run via bench/run.ts (`npm run bench -- startup [--quick]`).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { ensureBuilt } from '../scripts/build.mjs';
import { median, progress } from './_stats.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/tradewire.js');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Timed {
  ms: number;
  code: number | null;
  output: string;
}

/** Runs `args` under node to its exit; the time is from spawn to exit. */
function timeNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ms: performance.now() - started, code, output }));
  });
}

async function timeCommand(args: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const run = await timeNode(args, env);
  if (run.code !== 0) throw new Error(`node ${args.join(' ')} exited ${run.code}:\n${run.output}`);
  return run.ms;
}

interface Started {
  readyMs: number;
  adminUrl: string;
  stop(): Promise<void>;
}

/** `tradewire start` until the `ready` line; stop() sends SIGTERM and waits for a clean exit. */
function startRuntime(env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Started> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async () => {
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`tradewire start exited ${code} after SIGTERM:\n${output.slice(-4_000)}`);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line within ${timeoutMs} ms:\n${output.slice(-4_000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('"message":"ready"')) return;
      const readyMs = performance.now() - started;
      const admin = /admin listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      if (!admin) {
        child.kill('SIGKILL');
        reject(new Error(`ready, but no admin URL in the output:\n${output.slice(-4_000)}`));
        return;
      }
      resolve({ readyMs, adminUrl: admin[1]!, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tradewire start exited ${code} before ready:\n${output.slice(-4_000)}`));
    });
  });
}

async function deleteNamespace(namespace: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (const pattern of [`${namespace}:*`, `${namespace}`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

export async function run(opts: { quick: boolean }): Promise<Record<string, number>> {
  ensureBuilt({ log: progress });
  const starts = opts.quick ? 3 : 7;
  const cliRuns = opts.quick ? 3 : 7;
  const namespace = `bench-startup-${process.pid}-${Date.now()}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL,
    TRADEWIRE_NAMESPACE: namespace,
    TRADEWIRE_ADMIN_PORT: '0',
    TRADEWIRE_BROKER: 'sim',
    TRADEWIRE_DEMO: 'false',
    TRADEWIRE_INSPECT: 'false',
  };
  delete env.TRADEWIRE_CONFIG;

  const baseline: number[] = [];
  const help: number[] = [];
  const ready: number[] = [];
  const cli: number[] = [];
  try {
    // Interleaved, so a noisy neighbour slows every figure alike rather than one of them.
    for (let i = 0; i < starts; i += 1) {
      baseline.push(await timeCommand(['-e', '']));
      help.push(await timeCommand([BIN, '--help'], env));
      const runtime = await startRuntime(env);
      ready.push(runtime.readyMs);
      try {
        for (let j = 0; j < Math.ceil(cliRuns / starts); j += 1) {
          cli.push(await timeCommand([BIN, 'actors', '--url', runtime.adminUrl], env));
        }
      } finally {
        await runtime.stop();
      }
      progress(`run ${i + 1}/${starts}: ready ${Math.round(runtime.readyMs)} ms, actors ${Math.round(cli.at(-1)!)} ms, --help ${Math.round(help.at(-1)!)} ms, node ${Math.round(baseline.at(-1)!)} ms`);
    }
  } finally {
    await deleteNamespace(namespace);
  }
  return {
    ready_ms: Math.round(median(ready)),
    cli_ms: Math.round(median(cli)),
    help_ms: Math.round(median(help)),
    node_baseline_ms: Math.round(median(baseline)),
  };
}
