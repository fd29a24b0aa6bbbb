import { html } from 'htm/preact';
import type { VNode } from 'preact';
import type { GraphSection, MachineGraph } from '../api/types.ts';

type GraphNode = MachineGraph['nodes'][number];
type GraphEdge = MachineGraph['edges'][number];

/**
 * The layout's geometry (src/statechart/layout.ts BOX, drawingText.ts): the server sized every box
 * and label for one monospace font at these sizes, so the page draws with the same.
 */
const TITLE_HEIGHT = 24;
const PADDING = 10;
const FINAL_INSET = 4;
const LABEL_HEIGHT = 16;
const LABEL_FONT_SIZE = 11;
const labelWidth = (text: string) => Math.ceil([...text].length * LABEL_FONT_SIZE * 0.62) + 8;

const pathOf = (sections: GraphSection[]) =>
  sections.map((section) => [section.startPoint, ...section.bendPoints, section.endPoint].map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x},${point.y}`).join(' ')).join(' ');

const edgeLabel = (edge: GraphEdge) => (edge.guard ? `${edge.event} [${edge.guard}]` : edge.event);

function StateBox(props: { node: GraphNode; active: boolean; leaf: boolean; region: boolean }): VNode {
  const { node } = props;
  const classes = `state ${node.type}${props.active ? ' active' : ''}${props.leaf ? ' active-leaf' : ''}${props.region ? ' region' : ''}`;
  if (node.type === 'history') {
    const r = node.width / 2;
    return html`<g class=${classes} data-state-id=${node.id}><title>${node.label} (history)</title>
      <circle class="box" cx=${node.x + r} cy=${node.y + r} r=${r} /><text class="history-mark" x=${node.x + r} y=${node.y + r}>${node.history === 'deep' ? 'H*' : 'H'}</text></g>`;
  }
  const inset = node.type === 'final' ? FINAL_INSET : 0;
  return html`<g class=${classes} data-state-id=${node.id}><title>${node.id}${props.active ? ' (active)' : ''}</title>
    <rect class="box" x=${node.x} y=${node.y} width=${node.width} height=${node.height} rx="8" />
    ${inset ? html`<rect class="inner" x=${node.x + inset} y=${node.y + inset} width=${node.width - 2 * inset} height=${node.height - 2 * inset} rx="6" />` : null}
    <text class="title" x=${node.x + inset + PADDING} y=${node.y + inset + TITLE_HEIGHT / 2 + 4}>${node.label}</text></g>`;
}

/**
 * A machine drawn from its laid-out graph (GET /machines/{name}/graph, absolute coordinates):
 * states as boxes (compound ones holding their children, parallel regions dashed, finals doubled,
 * history as H), transitions as arrows labelled `event [guard]` (those without a target as lines
 * inside their state), the actor's active states highlighted: the innermost filled, their
 * ancestors outlined. Drawn in the page, offline.
 */
export function StatechartDrawing(props: { graph: MachineGraph; active: ReadonlySet<string>; scale: number | 'fit' }): VNode {
  const { graph, active, scale } = props;
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const leaves = activeLeaves(graph, active);
  const leafIds = new Set(leaves.map((node) => node.id));
  return html`
    <svg class=${`statechart${scale === 'fit' ? ' fit' : ''}`} viewBox=${`0 0 ${graph.width} ${graph.height}`} width=${scale === 'fit' ? null : graph.width * scale} height=${scale === 'fit' ? null : graph.height * scale} role="img" aria-label=${`Statechart of ${graph.name}; active: ${leaves.map((node) => node.id).join(', ') || 'none'}`}>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead" /></marker>
      </defs>
      <g class="states">
        ${graph.nodes.map((node) => html`<${StateBox} key=${node.id} node=${node} active=${node.parent !== null && active.has(node.id)} leaf=${leafIds.has(node.id)} region=${byId.get(node.parent ?? '')?.type === 'parallel'} />`)}
      </g>
      <g class="initials">
        ${graph.initialMarks.map((mark) => html`<g class="initial" key=${mark.state}><circle class="dot" cx=${mark.center.x} cy=${mark.center.y} r=${mark.radius} />${mark.sections.length > 0 ? html`<path d=${pathOf(mark.sections)} marker-end="url(#arrow)" />` : null}</g>`)}
      </g>
      <g class="transitions">
        ${graph.edges.map((edge) => {
          const label = edgeLabel(edge);
          const internal = edge.sections.length === 0;
          const width = labelWidth(label);
          return html`<g class=${`transition${internal ? ' internal' : ''}${active.has(edge.source) && byId.get(edge.source)?.parent !== null ? ' from-active' : ''}`} data-event=${edge.event} key=${edge.id}>
            ${internal ? null : html`<path d=${pathOf(edge.sections)} marker-end="url(#arrow)" />`}
            ${internal ? null : html`<rect class="label-bg" x=${edge.labelPos.x - width / 2} y=${edge.labelPos.y - LABEL_HEIGHT / 2} width=${width} height=${LABEL_HEIGHT} rx="3" />`}
            <text class="label" x=${edge.labelPos.x} y=${edge.labelPos.y}>${label}</text>
          </g>`;
        })}
      </g>
    </svg>
  `;
}

/** The innermost active states (what a reader means by "the state"). */
export function activeLeaves(graph: MachineGraph, active: ReadonlySet<string>): MachineGraph['nodes'] {
  return graph.nodes.filter((node) => node.parent !== null && active.has(node.id) && !graph.nodes.some((child) => child.parent === node.id && active.has(child.id)));
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
          ${props.graph.edges.map((edge) => html`<tr key=${edge.id}><td class="mono">${labels.get(edge.source) ?? edge.source}</td><td class="mono">${edge.event}</td><td class="mono">${edge.guard ?? ''}</td><td class="mono">${edge.sections.length === 0 ? '(stays)' : (labels.get(edge.target) ?? edge.target)}</td></tr>`)}
        </tbody>
      </table>
    </details>
  `;
}
