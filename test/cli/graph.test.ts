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
  it("writes a machine's laid-out graph as JSON by default: its states with boxes, its transitions with arrows", async () => {
    const deps = capture();
    expect(await runGraph('redis-link', {}, deps)).toBe(0);
    const graph = JSON.parse(deps.output.join('\n'));
    expect(graph.name).toBe('redis-link');
    expect(graph.nodes.filter((n: { parent: string | null }) => n.parent === 'redis-link').map((n: { key: string }) => n.key)).toEqual(['connecting', 'up', 'down', 'closing', 'closed']);
    expect(graph.edges).toContainEqual(expect.objectContaining({ source: 'redis-link.up', target: 'redis-link.down', event: 'redis.down', guard: null }));
  });

  it('writes an SVG or mermaid with --format', async () => {
    const svg = capture();
    expect(await runGraph('circuit-breaker', { format: 'svg' }, svg)).toBe(0);
    expect(svg.output.join('\n')).toMatch(/^<svg [^>]*>[\s\S]*data-state-id="circuit-breaker\.halfOpen"[\s\S]*<\/svg>$/);
    const mermaid = capture();
    expect(await runGraph('circuit-breaker', { format: 'mermaid' }, mermaid)).toBe(0);
    expect(mermaid.output.join('\n')).toContain('circuit_breaker_closed --> circuit_breaker_open : always [thresholdsExceeded]');
  });

  it("still writes xstate/graph's directed graph with --format xstate, eventless transitions included", async () => {
    const deps = capture();
    expect(await runGraph('circuit-breaker', { format: 'xstate' }, deps)).toBe(0);
    const graph = JSON.parse(deps.output.join('\n'));
    expect(graph.id).toBe('circuit-breaker');
    const closed = graph.children.find((c: { key: string }) => c.key === 'closed');
    expect(closed.edges).toContainEqual({ source: 'circuit-breaker.closed', target: 'circuit-breaker.open', event: '(always)' });
  });

  it('writes to a file with --out', async () => {
    const deps = capture();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tw-graph-')), 'g.svg');
    expect(await runGraph('redis-link', { format: 'svg', out: file }, deps)).toBe(0);
    expect(deps.output).toEqual([`wrote ${file}`]);
    expect(readFileSync(file, 'utf8')).toMatch(/^<svg [\s\S]*<\/svg>\n$/);
  });

  it('names the known machines when given an unknown one, and the formats when given an unknown format (exit 2)', async () => {
    const deps = capture();
    expect(await runGraph('nope', {}, deps)).toBe(2);
    expect(deps.errors.join('\n')).toMatch(/unknown machine 'nope'.*redis-link/);
    expect(await runGraph('order', { format: 'png' }, deps)).toBe(2);
    expect(deps.errors.at(-1)).toBe("unknown format 'png'; one of: json, svg, mermaid, xstate");
  });
});
