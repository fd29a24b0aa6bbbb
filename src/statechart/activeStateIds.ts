import { stateIdOf } from './stateIds.ts';

/**
 * The ids of every active state node of a machine in the given state value (the `state` of an
 * /actors node): the machine's root, each active compound or parallel state and its active
 * children down to the leaves, parents before children. `'working'` → `order`, `order.working`;
 * `{ connected: { health: 'healthy', heartbeat: 'idle' } }` → the root, `….connected`,
 * `….connected.health`, `….connected.health.healthy`, …; an atomic region of a parallel state
 * is `{}` in XState's value. Anything that is no state value (null, a number) has none.
 *
 * Pure and free of Node and XState, so the operator console bundles it for the browser.
 */
export function activeStateIds(stateValue: unknown, machineId: string): string[] {
  if (typeof stateValue !== 'string' && !isStateObject(stateValue)) return [];
  const ids = [machineId];
  const visit = (value: unknown, path: string[]) => {
    if (typeof value === 'string') {
      ids.push(stateIdOf(machineId, [...path, value]));
      return;
    }
    if (!isStateObject(value)) return;
    for (const [key, inner] of Object.entries(value)) {
      ids.push(stateIdOf(machineId, [...path, key]));
      visit(inner, [...path, key]);
    }
  };
  visit(stateValue, []);
  return ids;
}

function isStateObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
