import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BIN } from '../e2e/processHarness.ts';
import { REDIS_URL } from '../support/redisUrl.ts';

/** Runs the compiled `tradewire <args>` with its stdout already closed by the reader, as `| head -1` does once it has its line. */
async function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, REDIS_URL } });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('the CLI and a reader that stops early', () => {
  it.each([
    [['graph', 'order', '--format', 'svg']],
    [['order', 'list', '--namespace', 'closed-pipe-test']],
    [['--help']],
  ])('`tradewire %j | head -1` ends with 0 and no stack trace', async (args) => {
    const { code, stderr } = await runWithClosedStdout(args);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('usage errors exit 2 and name the flag', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });

  it.each([
    [['order', 'submit', '--symbol', 'ES', '--side', 'BUY', '--qty', 'abc'], 'tradewire: --qty: expected a number, got "abc"'],
    [['order', 'modify', 'o-1', '--limit', '0x10'], 'tradewire: --limit: expected a number, got "0x10"'],
    [['order', 'submit', '--symbol', 'ES', '--side', 'BUY', '--qty', '1', '--con-id', '1.5'], 'tradewire: --con-id: expected a whole number, got "1.5"'],
    [['start', '--admin-port', 'x'], 'tradewire: --admin-port: expected a whole number, got "x"'],
  ])('%j', (args, line) => {
    const result = run(args);
    expect(result.stderr.trim()).toBe(line);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
  });

  it("commander's own usage errors (an unknown option, a missing required one) exit 2 too; --help and --version 0", () => {
    expect(run(['order', 'list', '--bogus']).status).toBe(2);
    expect(run(['order', 'submit', '--symbol', 'ES']).status).toBe(2);
    expect(run(['--help']).status).toBe(0);
    expect(run(['--version']).status).toBe(0);
  });
});
