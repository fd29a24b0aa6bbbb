import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../src/cli/actions/graph.ts';
import type { CliDeps } from '../../src/cli/cliDeps.ts';

function capture(): CliDeps & { output: string[]; errors: string[] } {
  const output: string[] = [];
  const errors: string[] = [];
  return { output, errors, out: (l) => output.push(l), err: (l) => errors.push(l), env: {}, setExitCode: () => {} };
}

describe('tradewire graph', () => {
  it("writes a machine's states and transitions as JSON", () => {
    const deps = capture();
    expect(runGraph('redis-link', {}, deps)).toBe(0);
    const graph = JSON.parse(deps.output.join('\n'));
    expect(graph.id).toBe('redis-link');
    expect(graph.children.map((c: { key: string }) => c.key)).toEqual(['connecting', 'up', 'down', 'closing', 'closed']);
    const up = graph.children.find((c: { key: string }) => c.key === 'up');
    expect(up.edges).toContainEqual({ source: 'redis-link.up', target: 'redis-link.down', event: 'redis.down' });
  });

  it('writes to a file with --out', () => {
    const deps = capture();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tw-graph-')), 'g.json');
    expect(runGraph('redis-link', { out: file }, deps)).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).id).toBe('redis-link');
  });

  it('names the known machines when given an unknown one', () => {
    const deps = capture();
    expect(runGraph('nope', {}, deps)).toBe(2);
    expect(deps.errors.join('\n')).toMatch(/unknown machine 'nope'.*redis-link/);
  });
});

describe('graph edges', () => {
  it("include eventless (always) transitions, which xstate/graph omits", async () => {
    const { machineCatalog } = await import('../../src/machines/catalog.ts');
    const { machineGraph } = await import('../../src/machines/machineGraph.ts');
    const graph = machineGraph(machineCatalog['circuit-breaker']!());
    const edges: { source: string; target: string; event: string }[] = [];
    const walk = (node: typeof graph) => {
      edges.push(...node.edges);
      node.children.forEach(walk);
    };
    walk(graph);
    expect(edges).toContainEqual({ source: 'circuit-breaker.closed', target: 'circuit-breaker.open', event: '(always)' });
  });
});
