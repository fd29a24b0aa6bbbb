#!/usr/bin/env node
// Compiles src/ to dist/ (the JavaScript `tradewire` and `npm start` run), copies the files
// src reads at run time (Lua scripts, any other non-TypeScript asset) to the same relative paths,
// and bundles the operator console (console/) into dist/console/{index.html,app.js,app.css}.
//
//   node scripts/build.mjs             always builds (the `build` and `prepare` scripts)
//   node scripts/build.mjs --if-stale  builds only when src/, console/, the tsconfigs or the lockfile changed since dist/ was built
//
// Type errors are `npm run typecheck`'s job: the build only emits (--noCheck), so it takes seconds.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
const CONSOLE = path.join(ROOT, 'console');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.build-stamp');
// The lockfile: the console bundle holds its dependencies (preact, htm), so a new version of one is a new build.
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs', 'package-lock.json'];
/**
 * What the console's bundle may hold: the console, its two libraries, and the browser-safe module
 * of src/ that maps a state value to the statechart's node ids (with the one it imports). Anything
 * else (Node code) fails the build. The console's type-only imports of the server's schemas and
 * read models (console/src/api/types.ts) are erased by esbuild: never bundled, so never refused.
 * A library's path is where its files really are: a worktree's node_modules may link to another checkout's.
 */
const CONSOLE_MAY_IMPORT = [/^console\//, /(^|\/)node_modules\/(preact|htm)\//, /^src\/statechart\/(activeStateIds|stateIds)\.ts$/];

/** Files src/ holds that are not compiled and not read by the program. */
const notAnAsset = (file) => file.endsWith('.ts') || file.endsWith('.md');

function walk(dir, visit) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    visit(full, entry);
    if (entry.isDirectory()) walk(full, visit);
  }
}

/** Every path, size and mtime under src/ and console/ plus the build inputs: any edit, addition, deletion or move changes it. */
function sourceFingerprint() {
  const hash = createHash('sha256');
  const add = (full) => {
    const stat = statSync(full);
    hash.update(`${path.relative(ROOT, full)}\0${stat.size}\0${stat.mtimeMs}\n`);
  };
  for (const dir of [SRC, CONSOLE]) {
    add(dir);
    walk(dir, add);
  }
  for (const input of INPUTS) add(path.join(ROOT, input));
  return hash.digest('hex');
}

export function isStale() {
  return !existsSync(STAMP) || readFileSync(STAMP, 'utf8') !== sourceFingerprint();
}

const esbuild = () => createRequire(import.meta.url)('esbuild');
const BUNDLE = { bundle: true, minify: true, logLevel: 'error', absWorkingDir: ROOT, legalComments: 'none' };

/**
 * Bundles a script of the console (`options`: esbuild's, naming its entry and output) and refuses
 * it when it holds anything CONSOLE_MAY_IMPORT does not allow. The check reads what esbuild
 * bundled (the metafile's inputs), not the source text: a type-only import is no input.
 */
export function bundleConsoleScript(options) {
  const script = esbuild().buildSync({ ...BUNDLE, format: 'esm', target: 'es2022', metafile: true, ...options });
  const foreign = Object.keys(script.metafile.inputs).filter((input) => !CONSOLE_MAY_IMPORT.some((allowed) => allowed.test(input)));
  if (foreign.length > 0) throw new Error(`build: the console imports what a browser must not load (see console/README.md): ${foreign.join(', ')}`);
  return script;
}

/**
 * The console: one ES module bundle (console/src/main.ts), one stylesheet (console/app.css with its
 * imports) and index.html, into `<out>/console/`. Minified, no source maps, nothing loaded from elsewhere.
 */
function bundleConsole(out) {
  const target = path.join(out, 'console');
  const script = bundleConsoleScript({ entryPoints: ['console/src/main.ts'], outfile: path.join(target, 'app.js') });
  esbuild().buildSync({ ...BUNDLE, entryPoints: ['console/app.css'], outfile: path.join(target, 'app.css') });
  copyFileSync(path.join(CONSOLE, 'index.html'), path.join(target, 'index.html'));
  return Object.keys(script.metafile.inputs).length;
}

export function build({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const started = performance.now();
  const fingerprint = sourceFingerprint();
  // Built beside dist/ and swapped in whole: a failed build leaves the previous dist/ as it was.
  const partial = path.join(ROOT, `dist.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  try {
    const typescript = path.dirname(createRequire(import.meta.url).resolve('typescript/package.json'));
    const tsc = path.join(typescript, JSON.parse(readFileSync(path.join(typescript, 'package.json'), 'utf8')).bin.tsc);
    const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', partial], { cwd: ROOT, stdio: 'inherit' });
    if (compiled.status !== 0) throw new Error(`build: tsc exited with ${compiled.status ?? compiled.signal}`);
    let assets = 0;
    walk(SRC, (full, entry) => {
      if (!entry.isFile() || notAnAsset(entry.name)) return;
      const target = path.join(partial, path.relative(SRC, full));
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(full, target);
      assets += 1;
    });
    const modules = bundleConsole(partial);
    writeFileSync(path.join(partial, path.basename(STAMP)), fingerprint);
    rmSync(DIST, { recursive: true, force: true });
    renameSync(partial, DIST);
    log(`build: dist/ compiled, ${assets} assets copied, console bundled (${modules} modules), in ${Math.round(performance.now() - started)} ms`);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

/** Builds unless dist/ is already the build of the current sources: nothing ever runs a stale dist. */
export function ensureBuilt(options) {
  if (isStale()) build(options);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale')) ensureBuilt();
  else build();
}
