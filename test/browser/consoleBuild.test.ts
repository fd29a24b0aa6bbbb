import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleConsoleScript } from '../../scripts/build.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUILT = path.join(ROOT, 'dist/console');

// The vitest global setup built dist/ (the console with it) from the current sources.
describe('the console build (dist/console)', () => {
  it('is one page, one script and one stylesheet, loaded from this server only', () => {
    const page = readFileSync(path.join(BUILT, 'index.html'), 'utf8');
    const loads = [...page.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(loads.sort()).toEqual(['/console/app.css', '/console/app.js', 'data:,']);
    expect(readFileSync(path.join(BUILT, 'app.js'), 'utf8').length).toBeGreaterThan(1_000);
    const styles = readFileSync(path.join(BUILT, 'app.css'), 'utf8');
    expect(styles).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//);
  });

  it('type-checks as browser code against the server’s own answer types (console/tsconfig.json: DOM)', () => {
    const checked = typeCheckConsole();
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });

  it('uses nothing of Node: with Node’s types held back, no error is the console’s own', () => {
    // The server modules the console takes its types from bring Node's types along (ioredis refers
    // to them), so the check above would let a `process` or a `Buffer` through. Here `node` is an
    // empty package: the errors of src/ files are theirs (Node code); one in console/ is the console using Node.
    const noNode = mkdtempSync(path.join(tmpdir(), 'tw-no-node-'));
    try {
      mkdirSync(path.join(noNode, 'node'));
      writeFileSync(path.join(noNode, 'node', 'index.d.ts'), 'export {};\n');
      const checked = typeCheckConsole('--typeRoots', noNode);
      expect(checked.stderr).toBe('');
      expect(checked.stdout.split('\n').filter((line) => line.startsWith('console/'))).toEqual([]);
    } finally {
      rmSync(noNode, { recursive: true, force: true });
    }
  });
});

describe('what the console may import (CONSOLE_MAY_IMPORT in scripts/build.mjs)', () => {
  const bundle = (contents: string) =>
    bundleConsoleScript({ stdin: { contents, resolveDir: path.join(ROOT, 'console/src'), sourcefile: 'probe.ts', loader: 'ts' }, write: false });

  it('bundles nothing of src/ but activeStateIds.ts and the stateIds.ts it imports', () => {
    const { metafile } = bundleConsoleScript({ entryPoints: ['console/src/main.ts'], write: false });
    const fromSrc = Object.keys(metafile.inputs).filter((input) => input.startsWith('src/'));
    expect(fromSrc.sort()).toEqual(['src/statechart/activeStateIds.ts', 'src/statechart/stateIds.ts']);
  });

  it('takes the server’s schemas and read models as types: esbuild erases them, so nothing of them is bundled', () => {
    const { metafile } = bundle(
      `import type { orderSummarySchema } from '../../src/admin/schemas/orderViews.ts';
       import type { ActorNode } from '../../src/supervision/treeView.ts';
       export const none: [typeof orderSummarySchema, ActorNode] | null = null;`,
    );
    expect(Object.keys(metafile.inputs)).toEqual(['console/src/probe.ts']);
  });

  it('refuses any other module of src/ at run time, browser-safe or not', () => {
    expect(() => bundle(`import { BOX } from '../../src/statechart/machineLayout.ts'; console.log(BOX);`)).toThrow(
      /must not load \(see console\/README.md\): src\/statechart\/machineLayout\.ts$/,
    );
  });
});

function typeCheckConsole(...options: string[]) {
  const typescript = path.dirname(createRequire(import.meta.url).resolve('typescript/package.json'));
  const tsc = path.join(typescript, JSON.parse(readFileSync(path.join(typescript, 'package.json'), 'utf8')).bin.tsc);
  return spawnSync(process.execPath, [tsc, '--noEmit', '-p', path.join(ROOT, 'console'), ...options], { cwd: ROOT, encoding: 'utf8' });
}
