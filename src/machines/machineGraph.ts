import type { AnyStateMachine } from 'xstate';
import { toDirectedGraph } from 'xstate/graph';

export interface GraphNode {
  id: string;
  key: string;
  type: string;
  initial: string | null;
  children: GraphNode[];
  edges: { source: string; target: string; event: string }[];
}

type DirectedNode = ReturnType<typeof toDirectedGraph>;

/** xstate/graph leaves out `always` transitions, which is where automatic decisions live. */
function eventlessEdges(stateNode: DirectedNode['stateNode']): GraphNode['edges'] {
  const always = (stateNode as unknown as { always?: { target?: { id: string }[] }[] }).always ?? [];
  return always.flatMap((transition) =>
    (transition.target ?? []).map((target) => ({ source: stateNode.id, target: target.id, event: '(always)' })),
  );
}

/** xstate/graph's directed graph as plain JSON: state nodes by id, edges by event. */
export function machineGraph(machine: AnyStateMachine): GraphNode {
  const convert = (node: DirectedNode): GraphNode => ({
    id: node.id,
    key: node.stateNode.key,
    type: node.stateNode.type,
    initial: (node.stateNode.initial?.target?.[0]?.id as string | undefined) ?? null,
    children: node.children.map(convert),
    edges: [
      ...node.edges.map((edge) => ({ source: edge.source.id, target: edge.target.id, event: edge.label.text })),
      ...eventlessEdges(node.stateNode),
    ],
  });
  return convert(toDirectedGraph(machine));
}
