import fc from 'fast-check';
import { createActor, type AnyStateNode } from 'xstate';
import { describe, expect, it } from 'vitest';
import { activeStateIds } from '../../src/statechart/activeStateIds.ts';
import { layoutMachine } from '../../src/statechart/layout.ts';
import { machineGraph } from '../../src/statechart/machineGraph.ts';
import { renderMermaid } from '../../src/statechart/renderMermaid.ts';
import { renderSvg } from '../../src/statechart/renderSvg.ts';
import { expectSaneLayout, expectWellFormedSvg, svgElements } from './drawingChecks.ts';
import { randomMachines, SENT_EVENTS, type ExpectedTransition } from './randomMachines.ts';

const transitionKey = (t: ExpectedTransition) => `${t.source} ${t.event} -> ${t.targets.join(',')} [${t.guard ?? ''}]`;

describe('the graph of a random machine definition', () => {
  it('has exactly the states and the transitions of the definition, each with its event and guard', () => {
    fc.assert(
      fc.property(randomMachines, ({ machine, states, transitions }) => {
        const graph = machineGraph(machine);
        expect(graph.machineId).toBe('m');
        expect(graph.nodes.map(({ id, type, parent, initial }) => ({ id, type, parent, initial })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
          [...states].sort((a, b) => a.id.localeCompare(b.id)),
        );
        expect(graph.transitions.map(transitionKey).sort()).toEqual(transitions.map(transitionKey).sort());
        expect(new Set(graph.transitions.map((t) => t.id)).size).toBe(graph.transitions.length);
      }),
      { numRuns: 300 },
    );
  });

  it('is drawn whole: every state and transition in a sane layout, the SVG and the mermaid text', async () => {
    await fc.assert(
      fc.asyncProperty(randomMachines, async ({ machine, states, transitions }) => {
        const graph = machineGraph(machine);
        const layout = await layoutMachine(graph, 'random');
        expectSaneLayout(layout);
        const svg = renderSvg(layout);
        expectWellFormedSvg(svg);
        const drawn = svgElements(svg);
        expect(drawn.states.map((state) => state.id).sort()).toEqual(states.map((state) => state.id).sort());
        const perTarget = transitions.flatMap((t) => (t.targets.length ? t.targets : [t.source]).map(() => t.event));
        expect(drawn.transitions.map((t) => t.event).sort()).toEqual(perTarget.sort());
        const mermaid = renderMermaid(graph);
        expect([...mermaid.matchAll(/^\s*\w+ --> \w+ : .+$/gm)]).toHaveLength(perTarget.length);
        for (const node of graph.nodes.filter((n) => n.type === 'parallel')) {
          const regions = layout.nodes.filter((n) => n.parent === node.id);
          for (let i = 1; i < regions.length; i += 1) expect(regions[i]!.x).toBeGreaterThanOrEqual(regions[i - 1]!.x + regions[i - 1]!.width);
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

/** The path ids of the state nodes XState holds active in a snapshot. */
function xstateActiveIds(nodes: AnyStateNode[]): string[] {
  return nodes.map((node) => ['m', ...node.path].join('.'));
}

describe('activeStateIds', () => {
  it('maps every reachable state value to the ids of exactly the active state nodes, all in the graph, ancestors included', () => {
    fc.assert(
      fc.property(randomMachines, fc.array(fc.constantFrom(...SENT_EVENTS), { maxLength: 10 }), ({ machine }, events) => {
        const graph = machineGraph(machine);
        const known = new Map(graph.nodes.map((node) => [node.id, node]));
        const actor = createActor(machine).start();
        const check = () => {
          const snapshot = actor.getSnapshot();
          const ids = activeStateIds(JSON.parse(JSON.stringify(snapshot.value)), graph.machineId);
          expect(new Set(ids).size).toBe(ids.length);
          for (const id of ids) {
            const node = known.get(id);
            expect(node, `${id} is not in the graph`).toBeDefined();
            if (node!.parent !== null) expect(ids).toContain(node!.parent);
          }
          expect([...ids].sort()).toEqual(xstateActiveIds((snapshot as unknown as { _nodes: AnyStateNode[] })._nodes).sort());
        };
        check();
        for (const type of events) {
          // A machine that reached its final state takes no more events.
          if (actor.getSnapshot().status !== 'active') break;
          actor.send({ type });
          check();
        }
        actor.stop();
      }),
      { numRuns: 300 },
    );
  });

  it('answers the root and the path for a plain value, regions given as {} for atomic ones, and nothing for what is no state value', () => {
    expect(activeStateIds('working', 'order')).toEqual(['order', 'order.working']);
    expect(activeStateIds({ chasing: { pricing: 'quoting', deadline: {} } }, 'limitChase')).toEqual([
      'limitChase',
      'limitChase.chasing',
      'limitChase.chasing.pricing',
      'limitChase.chasing.pricing.quoting',
      'limitChase.chasing.deadline',
    ]);
    for (const value of [null, undefined, 3, true, ['a']]) expect(activeStateIds(value, 'order')).toEqual([]);
  });
});
