import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import ELK from 'elkjs/lib/elk.bundled.js';
import { LABEL_FONT_SIZE, TITLE_FONT_SIZE, textWidth, transitionLabel } from './drawingText.ts';
import type { MachineGraph, StateNodeModel, TransitionModel } from './machineGraph.ts';
import { BOX, type EdgeSection, type InitialMark, type LaidOutEdge, type LaidOutNode, type MachineLayout, type Point } from './machineLayout.ts';

let elk: InstanceType<typeof ELK> | undefined;

function contentWidth(node: StateNodeModel, rows: TransitionModel[]): number {
  const widest = Math.max(textWidth(node.label, TITLE_FONT_SIZE), ...rows.map((row) => textWidth(transitionLabel(row.event, row.guard), LABEL_FONT_SIZE)));
  return widest + 2 * BOX.padding;
}

function headerHeight(rows: TransitionModel[]): number {
  return BOX.titleHeight + rows.length * BOX.rowHeight + (rows.length > 0 ? 4 : 0);
}

const initialMarkId = (state: string) => `initial:${state}`;

function elkNode(node: StateNodeModel, children: Map<string | null, StateNodeModel[]>, rowsOf: Map<string, TransitionModel[]>): ElkNode {
  const rows = rowsOf.get(node.id) ?? [];
  if (node.type === 'history') return { id: node.id, width: BOX.historySize, height: BOX.historySize };
  const inner = children.get(node.id) ?? [];
  if (inner.length === 0) {
    const inset = node.type === 'final' ? 2 * BOX.finalInset : 0;
    return {
      id: node.id,
      width: Math.max(BOX.minWidth, contentWidth(node, rows)) + inset,
      height: Math.max(BOX.minHeight, headerHeight(rows) + 8) + inset,
    };
  }
  const header = headerHeight(rows);
  const marks: ElkNode[] = inner.filter((child) => child.initial).map((child) => ({ id: initialMarkId(child.id), width: 2 * BOX.initialRadius, height: 2 * BOX.initialRadius }));
  return {
    id: node.id,
    layoutOptions: {
      'elk.padding': `[top=${header + BOX.childPadding / 2},left=${BOX.childPadding},bottom=${BOX.childPadding},right=${BOX.childPadding}]`,
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.nodeSize.minimum': `(${contentWidth(node, rows)}, ${header + 2 * BOX.childPadding})`,
    },
    children: [...marks, ...inner.map((child) => elkNode(child, children, rowsOf))],
  };
}

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  // One layout over every level, so transitions between nested states are routed as a whole.
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeNode': '16',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.edgeLabel': '4',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
};

const round = (value: number) => Math.round(value * 10) / 10;
const point = (p: { x: number; y: number }): Point => ({ x: round(p.x), y: round(p.y) });

function sectionsOf(edge: ElkExtendedEdge | undefined): EdgeSection[] {
  return (edge?.sections ?? []).map((section) => ({ startPoint: point(section.startPoint), endPoint: point(section.endPoint), bendPoints: (section.bendPoints ?? []).map(point) }));
}

/** Arrows (one per target) and the lines inside boxes (transitions without target). */
function splitTransitions(graph: MachineGraph) {
  const arrows: { id: string; transition: TransitionModel; target: string }[] = [];
  const rowsOf = new Map<string, TransitionModel[]>();
  for (const transition of graph.transitions) {
    if (transition.targets.length === 0) {
      rowsOf.set(transition.source, [...(rowsOf.get(transition.source) ?? []), transition]);
      continue;
    }
    transition.targets.forEach((target, k) => arrows.push({ id: transition.targets.length === 1 ? transition.id : `${transition.id}:${k}`, transition, target }));
  }
  return { arrows, rowsOf };
}

/**
 * Edges never drawn, from each region of a parallel state to the next: the layered layout puts
 * them in successive layers, so the regions stand side by side in definition order.
 */
function regionChains(graph: MachineGraph, children: Map<string | null, StateNodeModel[]>): ElkExtendedEdge[] {
  return graph.nodes
    .filter((node) => node.type === 'parallel')
    .flatMap((node) => {
      const regions = children.get(node.id) ?? [];
      // Kept pointing right when a transition between regions makes a cycle with them.
      return regions.slice(1).map((region, i) => ({ id: `region:${region.id}`, sources: [regions[i]!.id], targets: [region.id], layoutOptions: { 'elk.layered.priority.direction': '100' } }));
    });
}

/**
 * Lays a machine's graph out with ELK's layered algorithm: compound and parallel states contain
 * their children, each transition an orthogonal arrow with room for its label. A machine's
 * layout never changes at run time: callers cache it.
 */
export async function layoutMachine(graph: MachineGraph, name: string): Promise<MachineLayout> {
  const { arrows, rowsOf } = splitTransitions(graph);
  const children = new Map<string | null, StateNodeModel[]>();
  for (const node of graph.nodes) children.set(node.parent, [...(children.get(node.parent) ?? []), node]);
  const root = graph.nodes[0]!;

  const labelled = (text: string) => [{ text, width: textWidth(text, LABEL_FONT_SIZE) + 2 * BOX.labelPaddingX, height: BOX.labelHeight }];
  const edges: ElkExtendedEdge[] = [
    ...arrows.map(({ id, transition, target }) => ({ id, sources: [transition.source], targets: [target], labels: labelled(transitionLabel(transition.event, transition.guard)) })),
    ...graph.nodes.filter((node) => node.initial).map((node) => ({ id: initialMarkId(node.id), sources: [initialMarkId(node.id)], targets: [node.id] })),
    ...regionChains(graph, children),
  ];
  elk ??= new ELK();
  const drawing: ElkNode = { id: 'drawing', layoutOptions: LAYOUT_OPTIONS, children: [elkNode(root, children, rowsOf)], edges };
  const result = await elk.layout(drawing);

  const shapes = new Map<string, ElkNode>();
  const collect = (node: ElkNode) => {
    shapes.set(node.id, node);
    node.children?.forEach(collect);
  };
  collect(result);
  const laidEdges = new Map((result.edges ?? []).map((edge) => [edge.id, edge]));
  const boxOf = (id: string) => {
    const shape = shapes.get(id)!;
    return { x: round(shape.x ?? 0), y: round(shape.y ?? 0), width: round(shape.width ?? 0), height: round(shape.height ?? 0) };
  };

  const nodes: LaidOutNode[] = graph.nodes.map((node) => ({ ...node, ...boxOf(node.id) }));
  const boxes = new Map(nodes.map((node) => [node.id, node]));
  const arrowEdges: LaidOutEdge[] = arrows.map(({ id, transition, target }) => {
    const label = laidEdges.get(id)?.labels?.[0];
    return {
      id,
      transition: transition.id,
      source: transition.source,
      target,
      event: transition.event,
      guard: transition.guard,
      sections: sectionsOf(laidEdges.get(id)),
      labelPos: point({ x: (label?.x ?? 0) + (label?.width ?? 0) / 2, y: (label?.y ?? 0) + (label?.height ?? 0) / 2 }),
    };
  });
  const rowEdges: LaidOutEdge[] = [...rowsOf].flatMap(([source, rows]) => {
    const box = boxes.get(source)!;
    const inset = box.type === 'final' ? BOX.finalInset : 0;
    return rows.map((row, i) => ({
      id: row.id,
      transition: row.id,
      source,
      target: source,
      event: row.event,
      guard: row.guard,
      sections: [],
      labelPos: point({
        x: box.x + inset + BOX.padding + textWidth(transitionLabel(row.event, row.guard), LABEL_FONT_SIZE) / 2,
        y: box.y + inset + BOX.titleHeight + (i + 0.5) * BOX.rowHeight,
      }),
    }));
  });
  const initialMarks: InitialMark[] = graph.nodes
    .filter((node) => node.initial)
    .map((node) => {
      const mark = boxOf(initialMarkId(node.id));
      return { state: node.id, center: point({ x: mark.x + mark.width / 2, y: mark.y + mark.height / 2 }), radius: BOX.initialRadius, sections: sectionsOf(laidEdges.get(initialMarkId(node.id))) };
    });
  return { name, width: Math.ceil(result.width ?? 0), height: Math.ceil(result.height ?? 0), nodes, edges: [...arrowEdges, ...rowEdges], initialMarks };
}
