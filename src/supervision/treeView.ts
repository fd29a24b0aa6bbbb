import type { AnyActorRef, ActorSystem } from 'xstate';
import type { SupervisorSnapshot } from './supervisorLogic.ts';
import type { ChildView } from './supervisorCore.ts';

/** One node of the supervision tree as the admin API and CLI show it. */
export interface ActorNode {
  systemId: string;
  /** 'supervisor', or the child spec's kind (e.g. 'machine', 'ib-connection'). */
  kind: string;
  /** The actor's current state value (a machine's `snapshot.value`), or null. */
  state: unknown;
  status: 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped' | 'failed' | 'done';
  restarts: number;
  /** ISO-8601 time the current incarnation started, or null when not running. */
  startedAt: string | null;
  /** The actor's own summary, when its child spec provides one (e.g. an IB connection's gateway). */
  details?: Record<string, unknown>;
  children: ActorNode[];
}

export interface Readiness {
  ready: boolean;
  /** Why not ready, one line per permanent child that is not running. */
  reasons: string[];
}

function isSupervisorSnapshot(snapshot: unknown): snapshot is SupervisorSnapshot {
  const context = (snapshot as { context?: { children?: unknown } } | undefined)?.context;
  return Array.isArray(context?.children) && typeof (snapshot as { value?: unknown }).value === 'string';
}

function iso(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

function statusOf(view: ChildView, ref: AnyActorRef | undefined): ActorNode['status'] {
  if (view.status !== 'running') return view.status;
  const status = ref?.getSnapshot().status;
  if (status === 'done') return 'done';
  if (status === 'error') return 'failed';
  return 'running';
}

/** The supervision tree as plain data, for `/actors` and the CLI. */
type DetailsOf = (systemId: string, snapshot: unknown) => Record<string, unknown> | undefined;

export function describeTree(
  system: ActorSystem<any>,
  root: AnyActorRef,
  rootId: string,
  detailsOf: DetailsOf = () => undefined,
  rootStartedAt: number | null = null,
): ActorNode {
  const snapshot = root.getSnapshot() as SupervisorSnapshot;
  return {
    systemId: rootId,
    kind: 'supervisor',
    state: snapshot.value,
    status: snapshot.status === 'active' ? (snapshot.value === 'restarting' ? 'restarting' : 'running') : snapshot.status === 'error' ? 'failed' : 'stopped',
    restarts: 0,
    startedAt: iso(rootStartedAt),
    children: describeChildren(system, snapshot, detailsOf),
  };
}

function describeChildren(system: ActorSystem<any>, snapshot: SupervisorSnapshot, detailsOf: DetailsOf): ActorNode[] {
  return snapshot.context.children.map((view) => {
    const ref = view.status === 'running' ? (system.get(view.id) as AnyActorRef | undefined) : undefined;
    const childSnapshot = ref?.getSnapshot();
    const nested = isSupervisorSnapshot(childSnapshot);
    const details = detailsOf(view.id, childSnapshot);
    return {
      systemId: view.id,
      kind: view.kind,
      state: childSnapshot && 'value' in childSnapshot ? childSnapshot.value : null,
      status: statusOf(view, ref),
      restarts: view.restarts,
      startedAt: iso(view.startedAt),
      ...(details ? { details } : {}),
      children: nested ? describeChildren(system, childSnapshot, detailsOf) : [],
    };
  });
}

/** Ready while every permanent child, at every depth, is running. */
export function readinessOf(system: ActorSystem<any>, root: AnyActorRef, rootId: string): Readiness {
  const reasons: string[] = [];
  const visit = (snapshot: SupervisorSnapshot) => {
    for (const view of snapshot.context.children) {
      const ref = view.status === 'running' ? (system.get(view.id) as AnyActorRef | undefined) : undefined;
      const status = statusOf(view, ref);
      if (view.restart === 'permanent' && status !== 'running') reasons.push(`${view.id} is ${status}`);
      const childSnapshot = ref?.getSnapshot();
      if (isSupervisorSnapshot(childSnapshot)) visit(childSnapshot);
    }
  };
  const snapshot = root.getSnapshot() as SupervisorSnapshot;
  if (snapshot.status !== 'active') reasons.push(`${rootId} is ${snapshot.status}`);
  else visit(snapshot);
  return { ready: reasons.length === 0, reasons };
}
