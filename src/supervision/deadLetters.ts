import type { EventObject } from 'xstate';
import type { Now } from '../shared/clock.ts';

export type DeadLetterReason = 'restart_buffer_overflow' | 'actor_gone' | 'unknown_actor' | 'bus_subscriber_failed';

export interface DeadLetter {
  systemId: string;
  event: EventObject;
  reason: DeadLetterReason;
  at: number;
}

export type DeadLetterListener = (letter: DeadLetter) => void;

/**
 * Where events that could not be delivered end up. They are never dropped silently:
 * every one is counted, handed to listeners (logging, metrics) and the latest are kept for review.
 */
export class DeadLetterChannel {
  private readonly recent: DeadLetter[] = [];
  private readonly listeners = new Set<DeadLetterListener>();
  private total = 0;

  constructor(
    private readonly now: Now,
    private readonly keep = 1_000,
  ) {}

  publish(systemId: string, event: EventObject, reason: DeadLetterReason): void {
    const letter: DeadLetter = { systemId, event, reason, at: this.now() };
    this.total += 1;
    this.recent.push(letter);
    if (this.recent.length > this.keep) this.recent.shift();
    for (const listener of this.listeners) {
      try {
        listener(letter);
      } catch {
        // A broken listener must not turn a dead letter into a crash.
      }
    }
  }

  onDeadLetter(listener: DeadLetterListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get count(): number {
    return this.total;
  }

  latest(): readonly DeadLetter[] {
    return this.recent;
  }
}
