import type { AnyActorLogic } from 'xstate';

/**
 * Sent by a supervisor to a child that opted in to graceful shutdown. The child
 * finishes its work (flush, close sockets) and reaches a final state; if it takes
 * longer than its spec's `shutdown` ms, it is force-stopped and the overrun logged.
 */
export const SHUTDOWN_EVENT = 'tradewire.shutdown';

const gracefulLogics = new WeakSet<AnyActorLogic>();

/** Marks non-machine logic (e.g. a supervisor) as handling SHUTDOWN_EVENT. */
export function markGraceful<T extends AnyActorLogic>(logic: T): T {
  gracefulLogics.add(logic);
  return logic;
}

/** A machine opts in by accepting the event anywhere in its definition. */
export function acceptsShutdown(logic: AnyActorLogic): boolean {
  if (gracefulLogics.has(logic)) return true;
  const events = (logic as { events?: unknown }).events;
  return Array.isArray(events) && events.includes(SHUTDOWN_EVENT);
}
