import type { AnyActorRef } from 'xstate';
import { BROKER_SUPERVISOR_ID } from './capabilities/broker.ts';
import { IB_CONNECTION_ID } from './capabilities/ibConnectionChild.ts';
import type { NodeTree } from './nodeTree.ts';

/** The bus topic of an IB connection's health change (payload: ConnectionHealthChange). */
export const CONNECTION_HEALTH_TOPIC = 'broker.connection';

export interface ConnectionHealthChange {
  /** The connection actor: `ib`, `ib-2`, ... */
  connection: string;
  health: string;
  at: string;
}

/** `ib`, `ib-2`, ...: the broker's connection actors (ibConnectionId). */
const CONNECTION_ID = new RegExp(`^${IB_CONNECTION_ID}(-\\d+)?$`);

/**
 * A connection's health from its machine's state: connected, the `health` region (healthy,
 * degraded, ibServerLost), as `/actors` shows it; otherwise the top-level state (connecting,
 * handshaking, backoff, failover, stopped).
 */
export function connectionHealthOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const state = value as { connected?: { health?: unknown } } | null;
  if (state?.connected) return typeof state.connected.health === 'string' ? state.connected.health : 'connected';
  return Object.keys(state ?? {})[0] ?? 'unknown';
}

/**
 * Puts each IB connection's health changes on the bus: every incarnation of a connection actor is
 * watched from its start (its machine stays pure and knows no bus). One place, for any subscriber.
 */
export function publishConnectionHealth(node: NodeTree): () => void {
  const bus = node.tree.services.bus;
  return node.onChildStarted((supervisorId, childId) => {
    if (supervisorId !== BROKER_SUPERVISOR_ID || !CONNECTION_ID.test(childId)) return;
    const ref: AnyActorRef | undefined = node.tree.get(childId);
    if (!ref) return;
    let last: string | null = null;
    const observe = (health: string) => {
      if (health === last) return;
      last = health;
      const change: ConnectionHealthChange = { connection: childId, health, at: new Date().toISOString() };
      bus.publish(CONNECTION_HEALTH_TOPIC, change);
    };
    observe(connectionHealthOf(ref.getSnapshot().value));
    ref.subscribe({
      next: (snapshot: { status: string; value: unknown }) => observe(snapshot.status === 'active' ? connectionHealthOf(snapshot.value) : 'stopped'),
      error: () => observe('stopped'),
      complete: () => observe('stopped'),
    });
  });
}
