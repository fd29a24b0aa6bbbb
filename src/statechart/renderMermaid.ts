import { transitionLabel } from './drawingText.ts';
import type { MachineGraph, StateNodeModel, TransitionModel } from './machineGraph.ts';

/** Mermaid ids are words: `ib-connection.connected` becomes `ib_connection_connected`, made unique if two collide. */
function mermaidIds(nodes: StateNodeModel[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of nodes) {
    const base = node.id.replace(/[^A-Za-z0-9_]/g, '_');
    let id = base;
    for (let i = 2; taken.has(id); i += 1) id = `${base}_${i}`;
    taken.add(id);
    ids.set(node.id, id);
  }
  return ids;
}

const oneLine = (text: string) => text.replace(/[\r\n;]+/g, ' ');

/** The innermost state containing both ends (a state contains itself); where mermaid wants the transition written. */
function commonAncestor(a: string, b: string, parentOf: Map<string, string | null>): string | null {
  const ancestors = new Set<string>();
  for (let at: string | null = a; at !== null; at = parentOf.get(at) ?? null) ancestors.add(at);
  for (let at: string | null = b; at !== null; at = parentOf.get(at) ?? null) if (ancestors.has(at)) return at;
  return null;
}

/**
 * A machine's graph as a mermaid `stateDiagram-v2`: compound states as `state X { }` blocks with
 * their `[*] -->` initial state, parallel regions separated by `--`, final states `--> [*]`, and
 * every transition `source --> target : EVENT [guard]` (one per target; a transition without
 * target as a loop on its source), written in the innermost block holding both ends.
 */
export function renderMermaid(graph: MachineGraph): string {
  const ids = mermaidIds(graph.nodes);
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const parentOf = new Map(graph.nodes.map((node) => [node.id, node.parent]));
  const children = new Map<string | null, StateNodeModel[]>();
  for (const node of graph.nodes) children.set(node.parent, [...(children.get(node.parent) ?? []), node]);

  // Transitions by the block they are written in: null is the diagram's top level.
  const linesIn = new Map<string | null, string[]>();
  const write = (transition: TransitionModel, target: string) => {
    let block = commonAncestor(transition.source, target, parentOf);
    // A transition from a state into itself or its descendants is written around that state; none is written between regions.
    if (block === transition.source || block === target) block = parentOf.get(block!) ?? null;
    while (block !== null && byId.get(block)?.type === 'parallel') block = parentOf.get(block) ?? null;
    const line = `${ids.get(transition.source)} --> ${ids.get(target)} : ${oneLine(transitionLabel(transition.event, transition.guard))}`;
    linesIn.set(block, [...(linesIn.get(block) ?? []), line]);
  };
  for (const transition of graph.transitions) {
    for (const target of transition.targets.length ? transition.targets : [transition.source]) write(transition, target);
  }

  const out: string[] = ['stateDiagram-v2'];
  const state = (node: StateNodeModel, depth: number) => {
    const indent = '  '.repeat(depth);
    const id = ids.get(node.id)!;
    const label = node.type === 'history' ? (node.history === 'deep' ? 'H*' : 'H') : node.label;
    out.push(`${indent}state "${oneLine(label).replace(/"/g, "'")}" as ${id}`);
    const inner = children.get(node.id) ?? [];
    if (inner.length === 0) return;
    out.push(`${indent}state ${id} {`);
    inner.forEach((child, i) => {
      if (node.type === 'parallel' && i > 0) out.push(`${indent}  --`);
      state(child, depth + 1);
    });
    // After the last region, a line would belong to it: a parallel state's block holds its regions only.
    if (node.type !== 'parallel') {
      for (const child of inner) {
        if (child.initial) out.push(`${indent}  [*] --> ${ids.get(child.id)}`);
        if (child.type === 'final') out.push(`${indent}  ${ids.get(child.id)} --> [*]`);
      }
      out.push(...(linesIn.get(node.id) ?? []).map((line) => `${indent}  ${line}`));
    }
    out.push(`${indent}}`);
  };
  for (const root of children.get(null) ?? []) state(root, 1);
  out.push(...(linesIn.get(null) ?? []).map((line) => `  ${line}`));
  return `${out.join('\n')}\n`;
}
