import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = path.resolve(import.meta.dirname, '../../dist');

/** The CommonJS modules a fresh Node has loaded after importing these compiled modules. */
function commonJsLoadedBy(modules: string[]): string[] {
  const script = [
    "import { createRequire } from 'node:module';",
    ...modules.map((m) => `await import(${JSON.stringify(path.join(DIST, m))});`),
    'console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));',
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as string[];
}

describe('what `tradewire start` loads', () => {
  it("takes @stoqey/ib's IBApi and enums from their own modules, never the index (IBApiNext and rxjs)", () => {
    const loaded = commonJsLoadedBy(['cli/actions/start.js', 'runtime/mainProcess.js']);
    expect(loaded.some((file) => file.endsWith('/@stoqey/ib/dist/api/api.js'))).toBe(true);
    expect(loaded.filter((file) => file.endsWith('/@stoqey/ib/dist/index.js') || file.includes('/node_modules/rxjs/'))).toEqual([]);
  });
});
