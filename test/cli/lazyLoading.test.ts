import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../e2e/processHarness.ts';

const RECORDER = path.join(import.meta.dirname, 'fixtures/recordModuleLoads.mjs');
const DIST = path.resolve(import.meta.dirname, '../../dist');
const dir = mkdtempSync(path.join(tmpdir(), 'tradewire-loads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the compiled `tradewire <args>` and returns its exit code and every module it loaded (packages by name, ours by path under dist/). */
function loadsOf(args: string[]): { status: number | null; packages: Set<string>; ours: string[] } {
  const file = path.join(dir, `${args.join('_').replace(/\W+/g, '_')}.log`);
  const run = spawnSync(process.execPath, ['--import', RECORDER, BIN, ...args], {
    env: { ...process.env, RECORD_MODULE_LOADS: file },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const paths = urls.filter((url) => url.startsWith('file:')).map((url) => new URL(url).pathname);
  const packages = new Set(paths.flatMap((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1] ?? []));
  const ours = paths.filter((p) => p.startsWith(`${DIST}/`)).map((p) => path.relative(DIST, p));
  return { status: run.status, packages, ours };
}

// src/shared imports nothing of the product, so its small helpers are allowed anywhere.
// What these commands must never load: xstate, bullmq, fastify, ioredis, @stoqey/ib, winston (the runtime's packages).
describe('the compiled CLI loads a command only when it runs', () => {
  it('`tradewire --help` loads the command registry and commander, nothing a command does', () => {
    const { status, packages, ours } = loadsOf(['--help']);
    expect(status).toBe(0);
    expect([...packages]).toEqual(['commander']);
    expect(ours.filter((file) => !(file.startsWith('cli/') || file.startsWith('shared/')) || file.startsWith('cli/actions/'))).toEqual(['marketdata/rejectLog.js', 'marketdata/rejectReasons.js']);
  });

  it('`tradewire actors` loads its own action and the admin client, not the runtime', () => {
    // Port 1 refuses the connection: the command runs to its end (exit 1, "cannot reach").
    const { status, packages, ours } = loadsOf(['actors', '--url', 'http://127.0.0.1:1']);
    expect(status).toBe(1);
    expect(ours).toContain('cli/actions/actors.js');
    expect(ours.filter((file) => file.startsWith('cli/actions/'))).toEqual(['cli/actions/actors.js']);
    expect(ours.filter((file) => !file.startsWith('cli/') && !file.startsWith('shared/'))).toEqual(['marketdata/rejectLog.js', 'marketdata/rejectReasons.js']);
    // Reading the tree is a fetch and a format: not even zod.
    expect([...packages]).toEqual(['commander']);
  });

  it('the check sees what a command loads: `tradewire graph --help` names the machines, so it loads xstate', () => {
    const { status, packages, ours } = loadsOf(['graph', '--help']);
    expect(status).toBe(0);
    expect(packages).toContain('xstate');
    expect(ours).toContain('machines/catalog.js');
  });
});
