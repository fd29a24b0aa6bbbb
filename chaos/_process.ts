import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../scripts/build.mjs';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/tradewire.js');
// The binary runs the compiled dist/: rebuild it first if src/ changed since it was built.
ensureBuilt();

export interface Spawned {
  child: ChildProcess;
  lines: string[];
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

/**
 * The real `tradewire` binary as a child process, its output collected line by line (the last
 * 5,000 kept; `onLine` sees every one, for callers that must not miss any).
 */
export function spawnTradewire(args: string[], env: Record<string, string>, onLine?: (line: string) => void): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const collect = (line: string) => {
    lines.push(line);
    onLine?.(line);
    if (lines.length > 5_000) lines.shift();
    for (const waiter of waiters) {
      if (waiter.pattern.test(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  };
  // A chunk may end inside a line: the rest of it comes with the next chunk of the same stream.
  const lineReader = () => {
    let partial = '';
    return (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) if (line) collect(line);
    };
  };
  child.stdout!.setEncoding('utf8').on('data', lineReader());
  child.stderr!.setEncoding('utf8').on('data', lineReader());
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitFor(pattern, timeoutMs = 20_000) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-20).join('\n')}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}
