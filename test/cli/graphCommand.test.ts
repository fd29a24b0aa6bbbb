import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { machineCatalog } from '../../src/machines/catalog.ts';
import { machineGraph } from '../../src/statechart/machineGraph.ts';
import { BIN } from '../e2e/processHarness.ts';
import { expectWellFormedSvg, svgElements } from '../statechart/drawingChecks.ts';

const RECORDER = path.join(import.meta.dirname, 'fixtures/recordModuleLoads.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'tradewire-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The compiled `tradewire graph <args>`: its exit code, output, and the packages it loaded. */
function graph(...args: string[]) {
  const loads = path.join(dir, `${args.join('_').replace(/\W+/g, '_')}.loads`);
  const run = spawnSync(process.execPath, ['--import', RECORDER, BIN, 'graph', ...args], { env: { ...process.env, RECORD_MODULE_LOADS: loads }, encoding: 'utf8', timeout: 30_000 });
  const packages = new Set(readFileSync(loads, 'utf8').split('\n').flatMap((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, packages };
}

describe('`tradewire graph` as run', () => {
  it('`graph order --format svg` writes a valid SVG of every state of the order machine', () => {
    const { status, stdout, packages } = graph('order', '--format', 'svg');
    expect(status).toBe(0);
    expectWellFormedSvg(stdout.trimEnd());
    const ids = machineGraph(machineCatalog.order!()).nodes.map((node) => node.id);
    expect(svgElements(stdout).states.map((state) => state.id).sort()).toEqual(ids.sort());
    expect(packages).toContain('elkjs');
  });

  it('`graph <machine> --format mermaid` writes mermaid without loading the layout engine', () => {
    const { status, stdout, packages } = graph('ib-connection', '--format', 'mermaid');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^stateDiagram-v2\n/);
    expect(stdout).toContain('ib_connection_backoff --> ib_connection_failover : FAILOVER');
    expect(packages).not.toContain('elkjs');
  });

  it('`graph <machine> --format json --out file` writes the laid-out graph to the file', () => {
    const file = path.join(dir, 'twap.json');
    const { status, stdout } = graph('twap', '--format', 'json', '--out', file);
    expect(status).toBe(0);
    expect(stdout).toBe(`wrote ${file}\n`);
    const layout = JSON.parse(readFileSync(file, 'utf8'));
    expect(layout).toMatchObject({ name: 'twap', width: expect.any(Number), height: expect.any(Number) });
    expect(layout.nodes.map((node: { id: string }) => node.id)).toEqual(['twap', 'twap.waiting', 'twap.done']);
  });

  it('an unknown machine exits 2 naming the known ones', () => {
    const { status, stdout, stderr } = graph('nope', '--format', 'svg');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`unknown machine 'nope'; known machines: ${Object.keys(machineCatalog).join(', ')}`);
  });
});
