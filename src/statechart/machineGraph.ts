import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { guardName } from './guardName.ts';
import { stateIdOf } from './stateIds.ts';

export type StateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface StateNodeModel {
  /** The id path: the machine's id and the keys down to this node (`order.working`), whatever `id` the definition gives it. */
  id: string;
  key: string;
  label: string;
  type: StateType;
  parent: string | null;
  /** The state its compound parent enters first (regions of a parallel state are all entered: none of them is flagged). */
  initial: boolean;
  /** A history state's depth; null for every other type. */
  history: 'shallow' | 'deep' | null;
}

export interface TransitionModel {
  /** `<source id>#<index>`: the source's transitions in definition order. */
  id: string;
  source: string;
  /** Empty for a transition without target (actions only, the state is not left). */
  targets: string[];
  /** XState's event type (`xstate.after.cancelTimeout.order.cancelling`), `always` for an eventless transition. */
  eventType: string;
  /** The event as a reader names it (`after cancelTimeout`, `done: submit`). */
  event: string;
  guard: string | null;
  /** Leaves and enters its target again even when the target is the source or one of its ancestors. */
  reenter: boolean;
}

export interface MachineGraph {
  machineId: string;
  /** Every state node, parents before their children, siblings in definition order. */
  nodes: StateNodeModel[];
  transitions: TransitionModel[];
}

type TransitionDefinition = AnyStateNode['transitions'] extends Map<string, (infer T)[]> ? T : never;

/** Invoked actors by invoke id, named by their `src` when the definition names it (not an inline logic). */
function invokedActorNames(root: AnyStateNode): Map<string, string> {
  const names = new Map<string, string>();
  const visit = (node: AnyStateNode) => {
    for (const invoke of node.invoke) {
      const namedSrc = typeof invoke.src === 'string' && !invoke.src.startsWith('xstate.invoke.');
      // An invoke given no id gets `<index>.<state id>`, which says nothing to a reader.
      const ownId = !invoke.id.endsWith(`.${node.id}`);
      names.set(invoke.id, namedSrc ? (invoke.src as string) : ownId ? invoke.id : 'actor');
    }
    Object.values(node.states).forEach(visit);
  };
  visit(root);
  return names;
}

const EVENT_PREFIXES: [prefix: string, word: string][] = [
  ['xstate.done.actor.', 'done'],
  ['xstate.error.actor.', 'error'],
  ['xstate.snapshot.', 'snapshot'],
];

/** XState's internal event types as a reader says them; user events as they are. */
function readableEvent(eventType: string, node: AnyStateNode, actors: Map<string, string>): string {
  const delayed = node.after.find((transition) => transition.eventType === eventType);
  if (delayed) return typeof delayed.delay === 'number' ? `after ${delayed.delay}ms` : `after ${String(delayed.delay)}`;
  if (eventType === `xstate.done.state.${node.id}`) return 'done';
  for (const [prefix, word] of EVENT_PREFIXES) {
    if (eventType.startsWith(prefix)) {
      const actorId = eventType.slice(prefix.length);
      return `${word}: ${actors.get(actorId) ?? actorId}`;
    }
  }
  return eventType;
}

/**
 * A machine's definition as a graph: every state node and every transition (event, guard,
 * targets), read from the machine's resolved state nodes, so what is drawn is what XState runs.
 */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const machineId = machine.root.id;
  const actors = invokedActorNames(machine.root);
  const initialStates = new Set<AnyStateNode>();
  const nodes: StateNodeModel[] = [];
  const transitions: TransitionModel[] = [];

  const visit = (node: AnyStateNode, parent: AnyStateNode | null) => {
    const id = stateIdOf(machineId, node.path);
    if (node.type === 'compound') node.initial?.target?.forEach((target) => initialStates.add(target));
    nodes.push({
      id,
      key: node.key,
      label: node.key,
      type: node.type,
      parent: parent ? stateIdOf(machineId, parent.path) : null,
      initial: initialStates.has(node),
      history: node.type === 'history' ? (node.history === 'deep' ? 'deep' : 'shallow') : null,
    });
    const own: [string, TransitionDefinition][] = [
      ...[...node.transitions.entries()].flatMap(([eventType, list]) => list.map((transition): [string, TransitionDefinition] => [eventType, transition])),
      ...(node.always ?? []).map((transition): [string, TransitionDefinition] => ['always', transition]),
    ];
    own.forEach(([eventType, transition], index) => {
      transitions.push({
        id: `${id}#${index}`,
        source: id,
        targets: (transition.target ?? []).map((target) => stateIdOf(machineId, target.path)),
        eventType,
        event: eventType === 'always' ? 'always' : readableEvent(eventType, node, actors),
        guard: transition.guard === undefined ? null : guardName(transition.guard),
        reenter: Boolean(transition.reenter),
      });
    });
    for (const child of Object.values(node.states)) visit(child, node);
  };
  visit(machine.root, null);
  return { machineId, nodes, transitions };
}
