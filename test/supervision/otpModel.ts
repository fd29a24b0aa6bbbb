/**
 * A plain, independent model of OTP supervisor semantics (supervisor.erl), used as the
 * oracle for the property test. It deliberately shares no code with src/supervision.
 */
export type ModelRestart = 'permanent' | 'transient' | 'temporary';
export type ModelStrategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

export interface ModelChild {
  id: string;
  restart: ModelRestart;
  running: boolean;
  restarts: number;
}

export interface ModelState {
  strategy: ModelStrategy;
  intensity: number;
  periodMs: number;
  now: number;
  restartTimes: number[];
  escalated: boolean;
  children: ModelChild[];
}

export function initialModel(
  strategy: ModelStrategy,
  intensity: number,
  periodMs: number,
  children: { id: string; restart: ModelRestart }[],
): ModelState {
  return {
    strategy,
    intensity,
    periodMs,
    now: 0,
    restartTimes: [],
    escalated: false,
    children: children.map((c) => ({ ...c, running: true, restarts: 0 })),
  };
}

export function advance(state: ModelState, ms: number): void {
  state.now += ms;
}

export function exitChild(state: ModelState, id: string, reason: 'normal' | 'error'): void {
  if (state.escalated) return;
  const index = state.children.findIndex((c) => c.id === id);
  const child = state.children[index];
  if (!child || !child.running) return;
  child.running = false;

  const restarts = child.restart === 'permanent' || (child.restart === 'transient' && reason === 'error');
  if (!restarts) {
    if (child.restart === 'temporary') state.children.splice(index, 1);
    return;
  }

  // add_restart: keep restarts no older than the period, then compare with the intensity.
  state.restartTimes = state.restartTimes.filter((t) => t >= state.now - state.periodMs);
  state.restartTimes.push(state.now);
  if (state.restartTimes.length > state.intensity) {
    state.escalated = true;
    for (const c of state.children) c.running = false;
    return;
  }

  let affected: ModelChild[];
  if (state.strategy === 'one_for_one') affected = [child];
  else if (state.strategy === 'one_for_all') affected = [...state.children];
  else affected = state.children.slice(index);

  // terminate_children: temporary siblings are removed, others wait for the restart.
  for (const sibling of affected) {
    if (sibling === child) continue;
    sibling.running = false;
    if (sibling.restart === 'temporary') state.children.splice(state.children.indexOf(sibling), 1);
  }
  for (const c of affected) {
    if (c !== child && c.restart === 'temporary') continue;
    c.running = true;
    c.restarts += 1;
  }
}
