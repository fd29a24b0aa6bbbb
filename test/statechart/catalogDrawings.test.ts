import type { AnyStateNode } from 'xstate';
import { beforeAll, describe, expect, it } from 'vitest';
import { machineCatalog, machineKinds } from '../../src/machines/catalog.ts';
import { sourceConfigSchema } from '../../src/marketdata/sources/sourceConfig.ts';
import { transitionLabel } from '../../src/statechart/drawingText.ts';
import { layoutMachine } from '../../src/statechart/layout.ts';
import type { MachineLayout } from '../../src/statechart/machineLayout.ts';
import { machineGraph, type MachineGraph } from '../../src/statechart/machineGraph.ts';
import { renderMermaid } from '../../src/statechart/renderMermaid.ts';
import { renderSvg } from '../../src/statechart/renderSvg.ts';
import { expectSaneLayout, svgElements } from './drawingChecks.ts';

interface Drawn {
  graph: MachineGraph;
  layout: MachineLayout;
  svg: string;
  mermaid: string;
}

const NAMES = Object.keys(machineCatalog);
const drawn = new Map<string, Drawn>();
const timings: string[] = [];

beforeAll(async () => {
  for (const name of NAMES) {
    const graph = machineGraph(machineCatalog[name]!());
    const started = performance.now();
    const layout = await layoutMachine(graph, name);
    timings.push(`${name} ${Math.round(performance.now() - started)} ms`);
    drawn.set(name, { graph, layout, svg: renderSvg(layout), mermaid: renderMermaid(graph) });
  }
  // Reported, not asserted: how long each layout took (the first includes loading ELK).
  console.info(`layouts: ${timings.join(', ')}`);
}, 60_000);

/** What XState resolved from the definition, walked independently of machineGraph: ids by path, transitions per state. */
function resolved(root: AnyStateNode) {
  const states: { id: string; type: string }[] = [];
  const transitions: { source: string; eventType: string; targets: string[] }[] = [];
  const idOf = (node: AnyStateNode) => [root.id, ...node.path].join('.');
  const visit = (node: AnyStateNode) => {
    states.push({ id: idOf(node), type: node.type });
    for (const [eventType, list] of node.transitions) for (const t of list) transitions.push({ source: idOf(node), eventType, targets: (t.target ?? []).map(idOf) });
    for (const t of node.always ?? []) transitions.push({ source: idOf(node), eventType: 'always', targets: (t.target ?? []).map(idOf) });
    Object.values(node.states).forEach(visit);
  };
  visit(root);
  return { states, transitions };
}

describe.each(NAMES)('the %s machine drawn', (name) => {
  const get = () => drawn.get(name)!;
  const truth = () => resolved(machineCatalog[name]!().root);

  it('has every state node and every transition of its definition in the graph model', () => {
    const { graph } = get();
    const { states, transitions } = truth();
    expect(graph.nodes.map(({ id, type }) => ({ id, type }))).toEqual(states);
    const key = (t: { source: string; eventType: string; targets: string[] }) => `${t.source} ${t.eventType} -> ${t.targets.join(',')}`;
    expect(graph.transitions.map(key).sort()).toEqual(transitions.map(key).sort());
    // Parents come before their children, and every parent is a state of the graph.
    const seen = new Set<string>();
    for (const node of graph.nodes) {
      if (node.parent !== null) expect(seen.has(node.parent), node.id).toBe(true);
      seen.add(node.id);
    }
    expect(graph.nodes.filter((node) => node.parent === null)).toHaveLength(1);
  });

  it('lays out every state and one edge per target of every transition, sanely', () => {
    const { graph, layout } = get();
    expect(layout.nodes.map((node) => node.id)).toEqual(graph.nodes.map((node) => node.id));
    const expected = graph.transitions.flatMap((t) => (t.targets.length ? t.targets : [t.source]).map((target) => `${t.id} ${t.source}->${target} ${t.event}`));
    expect(layout.edges.map((edge) => `${edge.transition} ${edge.source}->${edge.target} ${edge.event}`).sort()).toEqual(expected.sort());
    expectSaneLayout(layout);
  });

  it('draws every state and every transition in the SVG', () => {
    const { graph, layout, svg } = get();
    const { states, transitions } = svgElements(svg);
    expect(states.map((state) => state.id).sort()).toEqual(graph.nodes.map((node) => node.id).sort());
    expect(transitions.map((t) => `${t.edgeId} ${t.event}`).sort()).toEqual(layout.edges.map((edge) => `${edge.id} ${edge.event}`).sort());
    for (const edge of layout.edges) expect(svg).toContain(escapeXml(transitionLabel(edge.event, edge.guard)));
  });

  it('writes every state and every transition in the mermaid text', () => {
    const { graph, mermaid } = get();
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
    const declared = [...mermaid.matchAll(/^\s*state "[^"]*" as (\w+)$/gm)].map((m) => m[1]);
    expect(declared).toHaveLength(graph.nodes.length);
    expect(new Set(declared).size).toBe(graph.nodes.length);
    const arrows = [...mermaid.matchAll(/^\s*(\w+) --> (\w+) : (.+)$/gm)].map((m) => m[3]);
    const expected = graph.transitions.flatMap((t) => (t.targets.length ? t.targets : [t.source]).map(() => transitionLabel(t.event, t.guard)));
    expect(arrows.sort()).toEqual(expected.sort());
    expect(mermaid.split('{').length).toBe(mermaid.split('}').length);
  });
});

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('what the drawings say', () => {
  it('names events as a reader says them: after delays, always, done and error of invoked actors', () => {
    const events = (name: string) => new Set(drawn.get(name)!.graph.transitions.map((t) => transitionLabel(t.event, t.guard)));
    expect(events('circuit-breaker')).toContain('always [thresholdsExceeded]');
    expect(events('circuit-breaker')).toContain('after waitInOpen');
    expect(events('order')).toContain('done: submit');
    expect(events('order')).toContain('error: marginCheck');
    expect(events('order')).toContain('broker.fill [fillCompletes]');
    expect(events('reporter')).toContain('after ackTimeout');
    // A guard written in place is named `guard`; a combination of named ones is spelled out.
    expect(events('limit-chase')).toContain('done: readTouch [guard]');
    expect([...events('order')].some((label) => label.includes('&&'))).toBe(true);
  });

  it('shows self transitions as arrows and transitions without target inside their state', () => {
    const order = drawn.get('order')!.layout;
    const reentering = order.edges.find((edge) => edge.source === 'order.cancelling' && edge.target === 'order.cancelling' && edge.sections.length > 0);
    expect(reentering?.event).toBe('after cancelTimeout');
    const internal = order.edges.filter((edge) => edge.source === 'order.working' && edge.sections.length === 0).map((edge) => edge.event);
    expect(internal).toContain('MODIFY');
  });

  it.each(['ib-connection', 'limit-chase'])('draws the parallel regions of %s as dashed regions side by side', (name) => {
    const { layout, svg, mermaid } = drawn.get(name)!;
    const parallel = layout.nodes.find((node) => node.type === 'parallel')!;
    const regions = layout.nodes.filter((node) => node.parent === parallel.id);
    expect(regions.length).toBeGreaterThanOrEqual(2);
    // Side by side: each region starts right of the one before it.
    for (let i = 1; i < regions.length; i += 1) expect(regions[i]!.x).toBeGreaterThanOrEqual(regions[i - 1]!.x + regions[i - 1]!.width);
    for (const region of regions) expect(svg).toMatch(new RegExp(`<g class="state [a-z]+ region[^"]*" data-state-id="${region.id.replace(/\./g, '\\.')}"`));
    expect(mermaid).toMatch(/^\s+--$/m);
  });

  it('marks initial and final states', () => {
    const { layout, svg } = drawn.get('order')!;
    expect(layout.nodes.filter((node) => node.initial).map((node) => node.id)).toEqual(['order.received']);
    expect(layout.initialMarks.map((mark) => mark.state)).toEqual(['order.received']);
    expect(svg).toContain('data-initial-of="order.received"');
    expect(layout.nodes.filter((node) => node.type === 'final').map((node) => node.key).sort()).toEqual(['cancelled', 'expired', 'filled', 'rejected', 'suspended']);
    expect(svg).toMatch(/data-state-id="order\.filled" data-type="final"><title>[^<]*<\/title><rect class="box"[^>]*\/><rect class="inner"/);
  });
});

describe('the catalogue', () => {
  it('names, for every machine, the actor kinds that run it; market-data sources by every kind of source config', () => {
    expect(Object.keys(machineKinds)).toEqual(NAMES);
    const sourceKinds = sourceConfigSchema.options.map((option) => `market-data-source:${option.shape.kind.value}`);
    expect([...machineKinds['market-data-source']].sort()).toEqual(sourceKinds.sort());
    const all = Object.values(machineKinds).flat();
    expect(new Set(all).size).toBe(all.length);
  });
});
