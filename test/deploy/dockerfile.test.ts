import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyParts, dockerfileInstructions, execForm, type Instruction } from './dockerfileInstructions.ts';
import { exitCodeOf, fakeHealthServer, readRepoFile, ROOT } from './deployFiles.ts';

// No Docker engine runs here (the docker client does, alone), so the image is never built or run in
// these tests: they check the Dockerfile's instructions against the repository instead.
const instructions = dockerfileInstructions(readRepoFile('deploy/docker/Dockerfile'));
const inStage = (stage: string) => instructions.filter((instruction) => instruction.stage === stage);
const only = (list: Instruction[], keyword: string) => list.filter((instruction) => instruction.keyword === keyword);
const build = inStage('build');
const runtime = inStage('runtime');
/** Where the build stage works: COPY --from=build /app/<x> is <x> of the repository after `npm ci` (which builds). */
const WORKDIR = '/app/';

describe('deploy/docker/Dockerfile', () => {
  it('has a build stage and a runtime stage, the runtime last', () => {
    expect(only(instructions, 'FROM').map(({ args }) => args)).toEqual(['node:${NODE_VERSION}-bookworm-slim AS build', 'node:${NODE_VERSION}-bookworm-slim AS runtime']);
    expect(instructions.at(-1)!.stage).toBe('runtime');
    expect(only(build, 'WORKDIR')[0]!.args).toBe('/app');
  });

  it("copies every input of `npm ci` into the build stage before running it: scripts/build.mjs's inputs and the patches postinstall applies", () => {
    const ci = build.findIndex(({ keyword, args }) => keyword === 'RUN' && /^npm ci\b/.test(args));
    expect(ci).toBeGreaterThan(0);
    const copied = only(build.slice(0, ci), 'COPY').flatMap(({ args }) => copyParts(args).sources.map((source) => source.replace(/\/$/, '')));
    const buildScript = readRepoFile('scripts/build.mjs');
    const inputs = JSON.parse(/const INPUTS = (\[.*\]);/.exec(buildScript)![1]!.replaceAll("'", '"')) as string[];
    for (const needed of [...inputs.filter((input) => !input.startsWith('scripts/')), 'scripts', 'patches', 'src', 'console', 'package.json']) expect(copied).toContain(needed);
    expect(readRepoFile('package.json')).toMatch(/"postinstall": "node scripts\/fix-lockfile\.mjs && patch-package"/);
    // The devDependencies go after the build, without reinstalling (and so unpatching) what stays.
    expect(build.slice(ci + 1).some(({ keyword, args }) => keyword === 'RUN' && /npm prune --omit=dev --ignore-scripts/.test(args))).toBe(true);
  });

  it('gives the runtime what dist reads at run time: package.json, the pruned node_modules, dist (with the console), bin and config', () => {
    const copies = only(runtime, 'COPY').map(({ args }) => copyParts(args));
    const fromBuild = copies.filter(({ flags }) => flags.from === 'build').flatMap(({ sources }) => sources);
    const fromContext = copies.filter(({ flags }) => flags.from === undefined).flatMap(({ sources }) => sources);
    expect(fromBuild).toEqual(['/app/package.json', '/app/node_modules/', '/app/dist/']);
    expect(fromContext).toEqual(['bin/', 'config/']);
    // What the compiled code opens by path: the package manifest (OpenAPI's version), the console, the Lua scripts.
    for (const file of ['package.json', 'dist/console/index.html', 'dist/console/app.js', 'dist/cli/main.js', 'config/default.json', 'bin/tradewire.js']) expect(existsSync(path.join(ROOT, file)), file).toBe(true);
    expect(readRepoFile('bin/tradewire.js')).toContain("'../dist/cli/main.js'");
  });

  it('copies only what exists in the repository after a build (the test run builds dist/)', () => {
    for (const { args } of only(instructions, 'COPY')) {
      const { flags, sources } = copyParts(args);
      for (const source of sources) {
        const relative = flags.from === 'build' ? source.slice(WORKDIR.length) : source;
        if (flags.from === 'build') expect(source.startsWith(WORKDIR), source).toBe(true);
        expect(existsSync(path.join(ROOT, relative)), `COPY ${args}: ${relative}`).toBe(true);
      }
    }
  });

  it('ignores none of what it copies from the context (Dockerfile.dockerignore)', () => {
    const ignored = readRepoFile('deploy/docker/Dockerfile.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const fromContext = only(instructions, 'COPY').filter(({ args }) => copyParts(args).flags.from === undefined).flatMap(({ args }) => copyParts(args).sources);
    for (const source of fromContext) {
      const top = source.replace(/\/.*$/, '');
      expect(ignored, source).not.toContain(top);
      expect(ignored, source).not.toContain(source.replace(/\/$/, ''));
    }
    for (const heavy of ['**/node_modules', 'dist', 'var', '.git']) expect(ignored).toContain(heavy);
  });

  it('the patched @stoqey/ib is what npm ci installs, so the pruned copy carries it', () => {
    const patch = readFileSync(path.join(ROOT, 'patches/@stoqey+ib+1.6.10.patch'), 'utf8');
    expect(patch).toContain('+                : lastTradeDateOrContractMonth.split(/\\s+/);');
    expect(readFileSync(path.join(ROOT, 'node_modules/@stoqey/ib/dist/core/io/decoder.js'), 'utf8')).toContain('lastTradeDateOrContractMonth.split(/\\s+/)');
  });

  it('runs as a non-root user, node under tini, without npm', () => {
    const users = only(runtime, 'USER');
    expect(users.length).toBe(1);
    expect(users[0]!.args).not.toMatch(/^(root|0)(:|$)/);
    const last = (keyword: string) => runtime.findLastIndex((instruction) => instruction.keyword === keyword);
    expect(last('USER')).toBeLessThan(last('CMD'));
    expect(execForm(only(runtime, 'ENTRYPOINT')[0]!.args)).toEqual(['/usr/bin/tini', '--']);
    expect(runtime.some(({ keyword, args }) => keyword === 'RUN' && /apt-get install .*\btini\b/.test(args))).toBe(true);
    expect(execForm(only(runtime, 'CMD')[0]!.args)).toEqual(['node', '--max-semi-space-size=32', 'bin/tradewire.js', 'start']);
    // The admin API must listen beyond the container's loopback for the published port to reach it.
    expect(only(runtime, 'ENV')[0]!.args).toMatch(/TRADEWIRE_ADMIN_HOST=0\.0\.0\.0/);
  });

  it('checks health with a node one-liner on /health that passes on 200 and fails on an error or nothing listening', async () => {
    const healthcheck = only(runtime, 'HEALTHCHECK');
    expect(healthcheck.length).toBe(1);
    const argv = execForm(healthcheck[0]!.args);
    expect(argv.slice(0, 2)).toEqual(['node', '-e']);
    const up = await fakeHealthServer(200);
    const failing = await fakeHealthServer(503);
    try {
      expect(await exitCodeOf(argv, { TRADEWIRE_ADMIN_PORT: String(up.port) })).toBe(0);
      expect(up.paths).toEqual(['/health']);
      expect(await exitCodeOf(argv, { TRADEWIRE_ADMIN_PORT: String(failing.port) })).toBe(1);
    } finally {
      await up.close();
      await failing.close();
    }
    expect(await exitCodeOf(argv, { TRADEWIRE_ADMIN_PORT: String(up.port) })).toBe(1);
  });
});
