import type { AnyActorRef, EventObject } from 'xstate';
import type { DeadLetterChannel } from './deadLetters.ts';

/**
 * `delivered`: handed to the live actor; `buffered`: held while it restarts;
 * `dead_lettered`: the restart buffer was full; `unknown`: no such actor.
 */
export type DeliveryResult = 'delivered' | 'buffered' | 'dead_lettered' | 'unknown';

/**
 * Lifecycle news (`child.done`, xstate's `xstate.done.actor.*`) often reaches an actor that has
 * just finished on its own: a TWAP parent completes on its last fill, then hears its last slice
 * end. Nothing is lost there, so it is not a dead letter.
 */
const LIFECYCLE_EVENT = /(^|\.)done($|\.)/;

/** How many retired addresses are remembered to tell "finished" from "never existed". */
const RETIRED_REMEMBERED = 10_000;

interface Entry {
  ref: AnyActorRef | undefined;
  /** Events held while the actor restarts, delivered in order to the next incarnation. */
  held: EventObject[];
  limit: number;
}

/**
 * Stable addresses for supervised actors. `system.get(id)` names one incarnation;
 * an address names the child across restarts, so nothing sent mid-restart is lost.
 */
export class AddressBook {
  private readonly entries = new Map<string, Entry>();
  /** Insertion-ordered, so the oldest is forgotten first. */
  private readonly retired = new Set<string>();

  constructor(private readonly deadLetters: DeadLetterChannel) {}

  /** The supervisor started a new incarnation: deliver what was held. */
  bind(systemId: string, ref: AnyActorRef, limit: number): void {
    this.retired.delete(systemId);
    const entry = this.entries.get(systemId);
    if (!entry) {
      this.entries.set(systemId, { ref, held: [], limit });
      return;
    }
    entry.ref = ref;
    entry.limit = limit;
    if (entry.held.length === 0) return;
    const held = entry.held;
    entry.held = [];
    for (const event of held) ref.send(event);
  }

  /** The child is down and will be started again: hold its messages meanwhile. */
  suspend(systemId: string, limit: number): void {
    const entry = this.entries.get(systemId);
    if (entry) {
      entry.ref = undefined;
      entry.limit = limit;
    } else {
      this.entries.set(systemId, { ref: undefined, held: [], limit });
    }
  }

  /** The child is gone for good: what it held becomes dead letters. */
  retire(systemId: string): void {
    const entry = this.entries.get(systemId);
    if (!entry) return;
    this.entries.delete(systemId);
    this.remember(systemId);
    for (const event of entry.held) this.deadLetters.publish(systemId, event, 'actor_gone');
  }

  send(systemId: string, event: EventObject): DeliveryResult {
    const entry = this.entries.get(systemId);
    if (!entry) {
      if (!(this.retired.has(systemId) && LIFECYCLE_EVENT.test(event.type))) this.deadLetters.publish(systemId, event, 'unknown_actor');
      return 'unknown';
    }
    if (entry.ref) {
      entry.ref.send(event);
      return 'delivered';
    }
    if (entry.held.length >= entry.limit) {
      this.deadLetters.publish(systemId, event, 'restart_buffer_overflow');
      return 'dead_lettered';
    }
    entry.held.push(event);
    return 'buffered';
  }

  private remember(systemId: string): void {
    this.retired.delete(systemId);
    this.retired.add(systemId);
    if (this.retired.size > RETIRED_REMEMBERED) this.retired.delete(this.retired.values().next().value as string);
  }

  has(systemId: string): boolean {
    return this.entries.has(systemId);
  }

  /** A sender bound to one systemId, for hot paths that send repeatedly. */
  address(systemId: string): Address {
    return { systemId, send: (event) => this.send(systemId, event) };
  }
}

export interface Address {
  readonly systemId: string;
  send(event: EventObject): DeliveryResult;
}
