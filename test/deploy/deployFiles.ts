import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: deploy files name their paths relative to it (or to deploy/). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEPLOY = path.join(ROOT, 'deploy');

export const readRepoFile = (relative: string): string => readFileSync(path.join(ROOT, relative), 'utf8');

/** The longest shutdown a shipped config asks for: stop timeouts (systemd, compose, pm2) must exceed it. */
export function longestShutdownTimeoutMs(): number {
  const files = ['config/default.json', 'config/production.example.json', 'deploy/docker/tradewire.json'];
  return Math.max(...files.map((file) => (JSON.parse(readRepoFile(file)) as { shutdownTimeoutMs?: number }).shutdownTimeoutMs ?? 0));
}

/** `KEY=value` lines of an env file; comments and blank lines skipped. */
export function parseEnvFile(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      if (at <= 0) throw new Error(`not KEY=value: ${line}`);
      return [line.slice(0, at), line.slice(at + 1)] as const;
    });
  return Object.fromEntries(entries);
}

/** Environment keys that hold secrets: they belong in env files, never in a committed deploy file. */
export const SECRET_KEY = /TOKEN|PASSW(OR)?D|SECRET|REDIS_URL|USERID/i;

/** An HTTP server answering `/health` like the admin API (200 {"status":"ok"}), on a free loopback port. */
export async function fakeHealthServer(status = 200): Promise<{ port: number; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const server: Server = createServer((request, response) => {
    paths.push(request.url ?? '');
    response.writeHead(request.url === '/health' ? status : 404, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { port, paths, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Runs a command (a health check's exec form) with extra environment; resolves with its exit code. */
export async function exitCodeOf(argv: string[], env: Record<string, string>): Promise<number | null> {
  const [command, ...args] = argv;
  const child = spawn(command!, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}
