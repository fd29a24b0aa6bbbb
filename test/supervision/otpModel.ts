/**
 * A plain, independent model of OTP supervisor semantics (supervisor.erl), used as the
 * oracle for the property test. It deliberately shares no code with src/supervision.
 */
export type ModelRestart = 'permanent' | 'transient' | 'temporary';
export type ModelStrategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

export interface SupervisorShape {
  strategy: ModelStrategy;
  intensity: number;
  periodMs: number;
  children: ChildShape[];
}

export type ChildShape = { id: string; restart: ModelRestart } & ({ kind: 'worker' } | { kind: 'supervisor'; shape: SupervisorShape });

export interface ModelChild {
  id: string;
  restart: ModelRestart;
  running: boolean;
  restarts: number;
  /** Present for a nested supervisor: its state, rebuilt fresh whenever it is (re)started. */
  nested?: ModelSupervisor;
  shape: ChildShape;
}

export interface ModelSupervisor {
  shape: SupervisorShape;
  restartTimes: number[];
  children: ModelChild[];
}

export interface ModelState {
  now: number;
  root: ModelSupervisor;
  escalated: boolean;
}

function freshSupervisor(shape: SupervisorShape): ModelSupervisor {
  return { shape, restartTimes: [], children: shape.children.map(freshChild) };
}

function freshChild(shape: ChildShape): ModelChild {
  return {
    id: shape.id,
    restart: shape.restart,
    running: true,
    restarts: 0,
    shape,
    ...(shape.kind === 'supervisor' ? { nested: freshSupervisor(shape.shape) } : {}),
  };
}

export function initialModel(shape: SupervisorShape): ModelState {
  return { now: 0, root: freshSupervisor(shape), escalated: false };
}

export function advance(state: ModelState, ms: number): void {
  state.now += ms;
}

/** Running workers, depth first, with the chain of supervisors that own them. */
export function runningWorkers(state: ModelState): { id: string; path: ModelSupervisor[] }[] {
  const found: { id: string; path: ModelSupervisor[] }[] = [];
  const visit = (sup: ModelSupervisor, path: ModelSupervisor[]) => {
    for (const child of sup.children) {
      if (!child.running) continue;
      if (child.nested) visit(child.nested, [...path, child.nested]);
      else found.push({ id: child.id, path });
    }
  };
  if (!state.escalated) visit(state.root, [state.root]);
  return found;
}

/** A worker exits; the owning supervisor decides, and an escalation becomes its parent's failure. */
export function exitWorker(state: ModelState, path: ModelSupervisor[], id: string, reason: 'normal' | 'error'): void {
  let failingId = id;
  let failingReason = reason;
  for (let level = path.length - 1; level >= 0; level -= 1) {
    const escalated = exitChild(path[level]!, state.now, failingId, failingReason);
    if (!escalated) return;
    if (level === 0) {
      state.escalated = true;
      return;
    }
    // The supervisor at `level` gave up: to its parent, that child failed.
    const parent = path[level - 1]!;
    failingId = parent.children.find((c) => c.nested === path[level])!.id;
    failingReason = 'error';
  }
}

/** Returns true when the supervisor exceeded its intensity (and so stopped all its children). */
function exitChild(sup: ModelSupervisor, now: number, id: string, reason: 'normal' | 'error'): boolean {
  const index = sup.children.findIndex((c) => c.id === id);
  const child = sup.children[index]!;
  child.running = false;

  const restarts = child.restart === 'permanent' || (child.restart === 'transient' && reason === 'error');
  if (!restarts) {
    if (child.restart === 'temporary') sup.children.splice(index, 1);
    return false;
  }

  // add_restart: keep restarts no older than the period, then compare with the intensity.
  sup.restartTimes = sup.restartTimes.filter((t) => t >= now - sup.shape.periodMs);
  sup.restartTimes.push(now);
  if (sup.restartTimes.length > sup.shape.intensity) {
    for (const c of sup.children) c.running = false;
    return true;
  }

  let affected: ModelChild[];
  if (sup.shape.strategy === 'one_for_one') affected = [child];
  else if (sup.shape.strategy === 'one_for_all') affected = [...sup.children];
  else affected = sup.children.slice(index);

  // terminate_children: temporary siblings are removed, others wait for the restart.
  for (const sibling of affected) {
    if (sibling === child) continue;
    sibling.running = false;
    if (sibling.restart === 'temporary') sup.children.splice(sup.children.indexOf(sibling), 1);
  }
  for (const c of affected) {
    if (c !== child && c.restart === 'temporary') continue;
    c.running = true;
    c.restarts += 1;
    if (c.shape.kind === 'supervisor') c.nested = freshSupervisor(c.shape.shape);
  }
  return false;
}

export interface ObservedNode {
  id: string;
  running: boolean;
  restarts: number;
  children: ObservedNode[];
}

/** The model's tree in the shape compared with the real one; stopped supervisors show no children. */
export function observe(sup: ModelSupervisor): ObservedNode[] {
  return sup.children.map((c) => ({
    id: c.id,
    running: c.running,
    restarts: c.restarts,
    children: c.nested && c.running ? observe(c.nested) : [],
  }));
}
