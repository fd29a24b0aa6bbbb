import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isStale } from '../../scripts/build.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const scratch = mkdtempSync(path.join(tmpdir(), 'tradewire-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

// The vitest global setup built dist/ from the current sources before any test ran.
describe('the compiled build (dist/)', () => {
  it('is the build of the current sources', () => {
    expect(isStale()).toBe(false);
  });

  it('has every TypeScript file of src/ as JavaScript with its declarations, and no TypeScript source', () => {
    const sources = filesUnder(path.join(ROOT, 'src'), (f) => f.endsWith('.ts'));
    // dist/console/ is the browser console's bundle (console/, by esbuild), not a compiled src/ file.
    const compiled = filesUnder(DIST, (f) => f.endsWith('.js')).filter((f) => !f.startsWith(`console${path.sep}`));
    expect(compiled).toEqual(sources.map((f) => f.replace(/\.ts$/, '.js')));
    expect(filesUnder(DIST, (f) => f.endsWith('.d.ts'))).toEqual(sources.map((f) => f.replace(/\.ts$/, '.d.ts')));
    expect(filesUnder(DIST, (f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('has every file src/ reads at run time (the Lua scripts) at the same relative path', () => {
    const assets = filesUnder(path.join(ROOT, 'src'), (f) => !f.endsWith('.ts') && !f.endsWith('.md'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(existsSync(path.join(DIST, asset)), asset).toBe(true);
  });

  it('finds the package root (config/default.json) from dist/, as from src/', () => {
    const root = execFileSync(process.execPath, ['--input-type=module', '-e', `import { PACKAGE_ROOT } from ${JSON.stringify(path.join(DIST, 'packageRoot.js'))}; console.log(PACKAGE_ROOT)`], { encoding: 'utf8' }).trim();
    expect(root).toBe(ROOT);
    // `report levels` reads the shipped level tables relative to that root.
    const levels = spawnSync(process.execPath, [path.join(ROOT, 'bin/tradewire.js'), 'report', 'levels', '--json'], { encoding: 'utf8', cwd: scratch });
    expect(levels.status).toBe(0);
    expect(JSON.parse(levels.stdout)).toBeTypeOf('object');
  });

  it('a bin without a build says how to build, instead of a stack trace', () => {
    const bin = path.join(scratch, 'unbuilt/bin/tradewire.js');
    mkdirSync(path.dirname(bin), { recursive: true });
    copyFileSync(path.join(ROOT, 'bin/tradewire.js'), bin);
    const run = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('tradewire: dist/ is not built: run `npm run build` (npm install and npm ci build it too)\n');
  });
});
