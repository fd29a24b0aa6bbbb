import { FONT_FAMILY, LABEL_FONT_SIZE, TITLE_FONT_SIZE, textWidth, transitionLabel } from './drawingText.ts';
import { BOX, type EdgeSection, type LaidOutEdge, type LaidOutNode, type MachineLayout, type Point } from './machineLayout.ts';

const ARROW_LENGTH = 8;
const ARROW_HALF_WIDTH = 4;
const CORNER_RADIUS = 6;

/**
 * The drawing's look as CSS over classes, each colour a custom property, so a page embedding the
 * SVG restyles it (a dark theme, `.state.active` for the current states: the leaves filled, their
 * ancestors outlined) without touching the markup. Every rule is under `.statechart`, so an SVG inlined in a page styles nothing else. The
 * defaults are dark grey on white: readable on screen and on paper.
 */
const STYLE = `
.statechart { --tw-ink: #1f2328; --tw-muted: #424a53; --tw-line: #57606a; --tw-paper: #ffffff; --tw-container: #f6f8fa;
  --tw-active-ink: #0a3069; --tw-active-line: #0969da; --tw-active-fill: #ddf4ff; }
.statechart text { font-family: ${FONT_FAMILY}; fill: var(--tw-ink); }
.statechart .state > .box { fill: var(--tw-paper); stroke: var(--tw-line); stroke-width: 1.25; }
.statechart .state.compound > .box, .statechart .state.parallel > .box { fill: var(--tw-container); }
.statechart .state.region > .box { stroke-dasharray: 6 4; }
.statechart .state > .inner { fill: none; stroke: var(--tw-line); stroke-width: 1.25; }
.statechart .state > .title { font-size: ${TITLE_FONT_SIZE}px; font-weight: 600; }
.statechart .state > .history-mark { font-size: ${LABEL_FONT_SIZE}px; font-weight: 600; text-anchor: middle; dominant-baseline: central; }
.statechart .transition .label { font-size: ${LABEL_FONT_SIZE}px; text-anchor: middle; dominant-baseline: central; }
.statechart .transition.internal .label { fill: var(--tw-muted); }
.statechart .transition .label-bg { fill: var(--tw-paper); fill-opacity: 0.9; }
.statechart .transition > .edge, .statechart .initial > .edge { fill: none; stroke: var(--tw-line); stroke-width: 1.25; }
.statechart .transition > .head, .statechart .initial > .head, .statechart .initial > .dot { fill: var(--tw-line); }
.statechart .state.active > .box { stroke: var(--tw-active-line); stroke-width: 2.5; }
.statechart .state.active.atomic > .box, .statechart .state.active.final > .box { fill: var(--tw-active-fill); }
.statechart .state.active > .inner { stroke: var(--tw-active-line); }
.statechart .state.active > .title { fill: var(--tw-active-ink); }
.statechart .transition.active > .edge { stroke: var(--tw-active-line); stroke-width: 2; }
.statechart .transition.active > .head { fill: var(--tw-active-line); }
`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const n = (value: number) => String(Math.round(value * 10) / 10);

/** A polyline with its bends rounded. */
function pathOf(section: EdgeSection): string {
  const points = [section.startPoint, ...section.bendPoints, section.endPoint];
  let d = `M${n(points[0]!.x)},${n(points[0]!.y)}`;
  for (let i = 1; i < points.length - 1; i += 1) {
    const [before, corner, after] = [points[i - 1]!, points[i]!, points[i + 1]!];
    const r = Math.min(CORNER_RADIUS, Math.hypot(corner.x - before.x, corner.y - before.y) / 2, Math.hypot(after.x - corner.x, after.y - corner.y) / 2);
    const towards = (from: Point, to: Point, length: number) => {
      const d2 = Math.hypot(to.x - from.x, to.y - from.y) || 1;
      return { x: from.x + ((to.x - from.x) * length) / d2, y: from.y + ((to.y - from.y) * length) / d2 };
    };
    const enter = towards(corner, before, r);
    const leave = towards(corner, after, r);
    d += ` L${n(enter.x)},${n(enter.y)} Q${n(corner.x)},${n(corner.y)} ${n(leave.x)},${n(leave.y)}`;
  }
  const last = points[points.length - 1]!;
  return `${d} L${n(last.x)},${n(last.y)}`;
}

/** The arrowhead at the end of the last section, pointing along its last segment. */
function headOf(section: EdgeSection): string {
  const end = section.endPoint;
  const from = section.bendPoints.at(-1) ?? section.startPoint;
  const length = Math.hypot(end.x - from.x, end.y - from.y) || 1;
  const [ux, uy] = [(end.x - from.x) / length, (end.y - from.y) / length];
  const base = { x: end.x - ux * ARROW_LENGTH, y: end.y - uy * ARROW_LENGTH };
  const left = { x: base.x - uy * ARROW_HALF_WIDTH, y: base.y + ux * ARROW_HALF_WIDTH };
  const right = { x: base.x + uy * ARROW_HALF_WIDTH, y: base.y - ux * ARROW_HALF_WIDTH };
  return `M${n(end.x)},${n(end.y)} L${n(left.x)},${n(left.y)} L${n(right.x)},${n(right.y)} Z`;
}

function arrow(sections: EdgeSection[]): string {
  const last = sections.at(-1);
  return sections.map((section) => `<path class="edge" d="${pathOf(section)}"/>`).join('') + (last ? `<path class="head" d="${headOf(last)}"/>` : '');
}

function labelOf(edge: LaidOutEdge, withBackground: boolean): string {
  const text = transitionLabel(edge.event, edge.guard);
  const width = textWidth(text, LABEL_FONT_SIZE) + 2 * BOX.labelPaddingX;
  const background = withBackground
    ? `<rect class="label-bg" x="${n(edge.labelPos.x - width / 2)}" y="${n(edge.labelPos.y - BOX.labelHeight / 2)}" width="${n(width)}" height="${BOX.labelHeight}" rx="3"/>`
    : '';
  return `${background}<text class="label" x="${n(edge.labelPos.x)}" y="${n(edge.labelPos.y)}">${escape(text)}</text>`;
}

function transitionAttributes(edge: LaidOutEdge, names: Map<string, string>, internal: boolean): string {
  const title = internal
    ? `${names.get(edge.source)}: ${transitionLabel(edge.event, edge.guard)} (stays, no target)`
    : `${names.get(edge.source)} → ${names.get(edge.target)}: ${transitionLabel(edge.event, edge.guard)}`;
  const guard = edge.guard === null ? '' : ` data-guard="${escape(edge.guard)}"`;
  return `class="transition${internal ? ' internal' : ''}" data-edge-id="${escape(edge.id)}" data-event="${escape(edge.event)}"${guard} data-source="${escape(edge.source)}" data-target="${escape(edge.target)}"><title>${escape(title)}</title>`;
}

function stateBox(node: LaidOutNode): string {
  const { x, y, width, height } = node;
  if (node.type === 'history') {
    const r = width / 2;
    return `<circle class="box" cx="${n(x + r)}" cy="${n(y + r)}" r="${n(r)}"/><text class="history-mark" x="${n(x + r)}" y="${n(y + r)}">${node.history === 'deep' ? 'H*' : 'H'}</text>`;
  }
  const inset = node.type === 'final' ? BOX.finalInset : 0;
  const box = `<rect class="box" x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}" rx="8"/>`;
  const inner = inset ? `<rect class="inner" x="${n(x + inset)}" y="${n(y + inset)}" width="${n(width - 2 * inset)}" height="${n(height - 2 * inset)}" rx="6"/>` : '';
  return `${box}${inner}<text class="title" x="${n(x + inset + BOX.padding)}" y="${n(y + inset + BOX.titleHeight / 2 + TITLE_FONT_SIZE / 3)}">${escape(node.label)}</text>`;
}

/**
 * A machine's layout as a standalone SVG document: a rounded box per state (children inside
 * their parent, parallel regions dashed, final states with a double border, history states as
 * H or H*), a dot and arrow into each initial state, an arrow per transition labelled
 * `EVENT [guard]`, and the transitions that stay in their state as lines inside its box. Each
 * state is a `<g class="state" data-state-id>`, each transition a `<g class="transition"
 * data-event>`, each with a `<title>`.
 */
export function renderSvg(layout: MachineLayout): string {
  const prefix = `tw-${layout.name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const names = new Map(layout.nodes.map((node) => [node.id, node.key]));
  const byParent = new Map<string | null, LaidOutNode[]>();
  for (const node of layout.nodes) byParent.set(node.parent, [...(byParent.get(node.parent) ?? []), node]);
  const regions = new Set(layout.nodes.filter((node) => layout.nodes.some((parent) => parent.id === node.parent && parent.type === 'parallel')).map((node) => node.id));
  const rows = new Map<string, LaidOutEdge[]>();
  for (const edge of layout.edges) if (edge.sections.length === 0) rows.set(edge.source, [...(rows.get(edge.source) ?? []), edge]);

  const state = (node: LaidOutNode): string => {
    const classes = ['state', node.type, ...(regions.has(node.id) ? ['region'] : []), ...(node.initial ? ['initial-state'] : [])].join(' ');
    const title = `${node.id} (${regions.has(node.id) ? 'parallel region, ' : ''}${node.type}${node.initial ? ', initial' : ''})`;
    const inside = (rows.get(node.id) ?? []).map((edge) => `<g ${transitionAttributes(edge, names, true)}${labelOf(edge, false)}</g>`).join('');
    const children = (byParent.get(node.id) ?? []).map(state).join('\n');
    return `<g class="${classes}" data-state-id="${escape(node.id)}" data-type="${node.type}"><title>${escape(title)}</title>${stateBox(node)}${inside}${children ? `\n${children}` : ''}</g>`;
  };

  const arrows = layout.edges
    .filter((edge) => edge.sections.length > 0)
    .map((edge) => `<g ${transitionAttributes(edge, names, false)}${arrow(edge.sections)}${labelOf(edge, true)}</g>`);
  const initials = layout.initialMarks.map(
    (mark) =>
      `<g class="initial" data-initial-of="${escape(mark.state)}"><title>${escape(`${names.get(mark.state)} is entered first`)}</title><circle class="dot" cx="${n(mark.center.x)}" cy="${n(mark.center.y)}" r="${mark.radius}"/>${arrow(mark.sections)}</g>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="statechart" data-machine="${escape(layout.name)}" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-labelledby="${prefix}-title">`,
    `<title id="${prefix}-title">${escape(`State machine ${layout.name}`)}</title>`,
    `<style>${STYLE}</style>`,
    `<g class="states">`,
    ...(byParent.get(null) ?? []).map(state),
    `</g>`,
    `<g class="transitions">`,
    ...arrows,
    ...initials,
    `</g>`,
    `</svg>`,
    '',
  ].join('\n');
}
