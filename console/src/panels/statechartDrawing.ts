import { html } from 'htm/preact';
import type { VNode } from 'preact';
import type { GraphPoint, MachineGraph } from '../api/types.ts';

type GraphNode = MachineGraph['nodes'][number];
type GraphEdge = MachineGraph['edges'][number];

const edgePath = (edge: GraphEdge) =>
  edge.sections
    .map((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((point: GraphPoint, index) => `${index === 0 ? 'M' : 'L'}${point.x},${point.y}`).join(' '))
    .join(' ');

const edgeLabel = (edge: GraphEdge) => (edge.guard ? `${edge.event} [${edge.guard}]` : edge.event);

/**
 * A machine drawn from its laid-out graph (GET /machines/{name}/graph): states as boxes (compound
 * ones holding their children, parallel regions dashed, finals doubled), transitions as arrows
 * labelled `event [guard]`, the actor's active states highlighted. Drawn in the page: no service.
 */
export function StatechartDrawing(props: { graph: MachineGraph; active: ReadonlySet<string>; rootId: string }): VNode {
  const { graph, active } = props;
  const parents = new Map(graph.nodes.map((node) => [node.id, node]));
  const inParallel = (node: GraphNode) => (node.parent ? parents.get(node.parent)?.type === 'parallel' : false);
  // Parents before children, so a child box is painted over its parent's.
  const depth = (node: GraphNode): number => (node.parent && parents.has(node.parent) ? 1 + depth(parents.get(node.parent) as GraphNode) : 0);
  const nodes = [...graph.nodes].filter((node) => node.id !== props.rootId).sort((a, b) => depth(a) - depth(b));
  const activeLeaves = nodes.filter((node) => active.has(node.id) && !nodes.some((child) => child.parent === node.id && active.has(child.id)));
  return html`
    <svg class="statechart" viewBox=${`0 0 ${graph.width} ${graph.height}`} width=${graph.width} height=${graph.height} role="img" aria-label=${`Statechart of ${graph.name}; active: ${activeLeaves.map((node) => node.id).join(', ') || 'none'}`}>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead" /></marker>
      </defs>
      ${nodes.map((node) => {
        const classes = ['state', node.type, active.has(node.id) ? 'active' : '', inParallel(node) ? 'region' : ''].join(' ');
        const container = node.type === 'compound' || node.type === 'parallel';
        return html`<g class=${classes} data-state-id=${node.id} key=${node.id}>
          <rect x=${node.x} y=${node.y} width=${node.width} height=${node.height} rx="6" />
          ${node.type === 'final' ? html`<rect class="inner" x=${node.x + 3} y=${node.y + 3} width=${Math.max(0, node.width - 6)} height=${Math.max(0, node.height - 6)} rx="4" />` : null}
          ${node.initial ? html`<circle class="initial" cx=${node.x - 8} cy=${node.y + 10} r="4" />` : null}
          <text x=${container ? node.x + 8 : node.x + node.width / 2} y=${container ? node.y + 16 : node.y + node.height / 2 + 4} text-anchor=${container ? 'start' : 'middle'}>${node.type === 'history' ? 'H' : node.label}${node.type === 'parallel' ? ' (parallel)' : ''}</text>
        </g>`;
      })}
      ${graph.edges.map(
        (edge) => html`<g class=${`transition ${active.has(edge.source) ? 'from-active' : ''}`} data-event=${edge.event} key=${edge.id}>
          <path d=${edgePath(edge)} marker-end="url(#arrow)" />
          <text x=${edge.labelPos.x} y=${edge.labelPos.y}>${edgeLabel(edge)}</text>
        </g>`,
      )}
    </svg>
  `;
}

/** The same machine as a list, for reading with a screen reader or searching with the browser. */
export function TransitionTable(props: { graph: MachineGraph }): VNode {
  const labels = new Map(props.graph.nodes.map((node) => [node.id, node.label]));
  return html`
    <details class="transitions">
      <summary>Transitions as a table (${props.graph.edges.length})</summary>
      <table class="grid compact">
        <thead><tr><th scope="col">From</th><th scope="col">Event</th><th scope="col">Guard</th><th scope="col">To</th></tr></thead>
        <tbody>
          ${props.graph.edges.map((edge) => html`<tr key=${edge.id}><td class="mono">${labels.get(edge.source) ?? edge.source}</td><td class="mono">${edge.event}</td><td class="mono">${edge.guard ?? ''}</td><td class="mono">${labels.get(edge.target) ?? edge.target}</td></tr>`)}
        </tbody>
      </table>
    </details>
  `;
}
