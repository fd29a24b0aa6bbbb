import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unloadableAdapterProblems } from '../../src/cli/adapterModules.ts';
import { runCli } from '../e2e/processHarness.ts';
import { unusedPort } from './liveServer.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EXAMPLE_TS = path.join(ROOT, 'src/marketdata/sources/custom/examples/websocketQuotes.ts');
const EXAMPLE_JS = path.join(ROOT, 'dist/marketdata/sources/custom/examples/websocketQuotes.js');
const dir = mkdtempSync(path.join(tmpdir(), 'tradewire-adapters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const customSource = (module: string) => ({ kind: 'custom' as const, id: 'vendor', module, instruments: ['ES'], options: { url: 'ws://127.0.0.1:1' } });

/** `tradewire start` (compiled) with one custom source; nothing listens at its Redis, so a start that got past the config fails there with exit 1. */
async function startWithAdapter(module: string) {
  const file = path.join(dir, `${path.basename(module)}.json`);
  writeFileSync(file, JSON.stringify({ marketData: { sources: [customSource(module)] } }));
  const p = runCli(['start', '--config', file], { REDIS_URL: `redis://127.0.0.1:${await unusedPort()}` });
  const { code } = await p.exited;
  return { code, output: p.lines.join('\n') };
}

describe('custom market-data adapters under the compiled build', () => {
  it('a TypeScript adapter is refused before anything starts: exit 2, naming the key and what to do', async () => {
    const { code, output } = await startWithAdapter(EXAMPLE_TS);
    expect(code).toBe(2);
    expect(output).toContain('tradewire: invalid configuration');
    expect(output).toMatch(/marketData\.sources\.0\.module: '.*websocketQuotes\.ts' is TypeScript, and Node v\d+.* cannot import it/);
    expect(output).toMatch(/Compile the adapter to \.js or \.mjs/);
    expect(output).not.toMatch(/Redis is not reachable/);
  });

  it('a JavaScript adapter (here the compiled example in dist/) passes, and the start goes on to Redis', async () => {
    const { code, output } = await startWithAdapter(EXAMPLE_JS);
    expect(output).not.toContain('invalid configuration');
    expect(output).toMatch(/Redis is not reachable/);
    expect(code).toBe(1);
  });

  it('only TypeScript modules are tried, and only "unknown file extension" is a problem', async () => {
    const tried: string[] = [];
    const cannotLoadTs = async (specifier: string) => {
      tried.push(specifier);
      throw Object.assign(new TypeError(`Unknown file extension ".ts" for ${specifier}`), { code: 'ERR_UNKNOWN_FILE_EXTENSION' });
    };
    const config = (modules: string[]) => ({ marketData: { sources: modules.map(customSource) } });

    expect(await unloadableAdapterProblems(config(['./adapters/vendor.js', './adapters/vendor.mjs', 'some-package']), cannotLoadTs)).toEqual([]);
    expect(tried).toEqual([]);

    const problems = await unloadableAdapterProblems(config(['./adapters/a.js', './adapters/vendor.ts', './adapters/other.mts']), cannotLoadTs);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^marketData\.sources\.1\.module: '\.\/adapters\/vendor\.ts' is TypeScript/);
    expect(problems[1]).toMatch(/^marketData\.sources\.2\.module: '\.\/adapters\/other\.mts' is TypeScript/);

    // A missing module stays the source's own failed start (restarted with backoff), not a refusal.
    const missing = async () => {
      throw Object.assign(new Error('Cannot find module'), { code: 'ERR_MODULE_NOT_FOUND' });
    };
    expect(await unloadableAdapterProblems(config(['./no/such/adapter.ts']), missing)).toEqual([]);
  });

  it('where TypeScript can be imported (here: vitest), a TypeScript adapter is not refused', async () => {
    expect(await unloadableAdapterProblems({ marketData: { sources: [customSource(EXAMPLE_TS)] } })).toEqual([]);
  });
});
