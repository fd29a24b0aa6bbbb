/**
 * Events that are how the runtime tells actors what happened, never a request: lifecycle
 * (`tradewire.*`: shutdown, supervisor timers and exits), XState's own (`xstate.*`: done, error,
 * stop), and an order's internal ones (reconciliation results, its children's reports, its
 * algorithm's slices, connection readiness, its deadline). Forged, each would make an actor act on
 * something that did not happen, so none may be injected into any actor.
 */
const NEVER_INJECTABLE_PREFIXES = ['tradewire.', 'xstate.', 'reconcile.', 'child.', 'algo.'] as const;
const NEVER_INJECTABLE_TYPES = ['connection.ready', 'DEADLINE'] as const;

/** What the broker says about an order (fills, acknowledgements, rejections): only the broker may say it. */
export const BROKER_ORIGIN_PREFIX = 'broker.';

export const isBrokerOrigin = (type: string) => type.startsWith(BROKER_ORIGIN_PREFIX);

/** Why an event of this type may never be injected, or null. */
export function reservedEventProblem(type: string): string | null {
  const prefix = NEVER_INJECTABLE_PREFIXES.find((p) => type.startsWith(p));
  if (prefix) return `event type ${JSON.stringify(type)} is internal (${prefix}* events come from the runtime itself) and cannot be injected`;
  if ((NEVER_INJECTABLE_TYPES as readonly string[]).includes(type)) return `event type ${JSON.stringify(type)} is internal to order actors and cannot be injected`;
  return null;
}
