import { SimulatedClock, type AnyActorRef, type EventObject, type StateValue } from 'xstate';
import { createSilentLogger, type Logger } from '../log/logger.ts';
import type { SupervisorOptions } from '../supervision/childSpec.ts';
import { createSupervisionServices, type SupervisionServices } from '../supervision/services.ts';
import { SupervisionTree } from '../supervision/supervisionTree.ts';
import type { DeliveryResult } from '../supervision/addressBook.ts';

export interface HarnessOptions {
  logger?: Logger;
  /** Deterministic jitter; defaults to 0.5 (no spread). */
  random?: () => number;
}

type SnapshotPredicate = (snapshot: any) => boolean;

interface Waiter {
  systemId: string;
  matches: SnapshotPredicate;
  resolve: (snapshot: unknown) => void;
}

/**
 * A supervision tree on a simulated clock, for testing your own machines:
 * inject events by systemId, advance time, and await states, with no real waiting.
 */
export class TestHarness {
  readonly clock = new SimulatedClock();
  readonly tree: SupervisionTree;
  readonly services: SupervisionServices;
  private readonly waiters = new Set<Waiter>();
  private readonly watched = new WeakSet<AnyActorRef>();

  constructor(root: SupervisorOptions, options: HarnessOptions = {}) {
    this.services = createSupervisionServices({
      logger: options.logger ?? createSilentLogger(),
      now: () => this.clock.now(),
      random: options.random ?? (() => 0.5),
    });
    this.tree = new SupervisionTree({ root, services: this.services, clock: this.clock });
    this.tree.start();
  }

  send(systemId: string, event: EventObject): DeliveryResult {
    const result = this.tree.send(systemId, event);
    this.recheck();
    return result;
  }

  /** Moves simulated time forward, firing due timers (delayed transitions, backoff, shutdown timeouts). */
  advance(ms: number): void {
    this.clock.increment(ms);
    this.recheck();
  }

  snapshot(systemId: string): any {
    return this.tree.get(systemId)?.getSnapshot();
  }

  /** Resolves when the actor (whichever incarnation) is in `state`, e.g. 'connected' or { connected: 'healthy' }. */
  waitForState(systemId: string, state: StateValue): Promise<any> {
    return this.waitFor(systemId, (snapshot) => typeof snapshot?.matches === 'function' && snapshot.matches(state));
  }

  waitFor(systemId: string, matches: SnapshotPredicate): Promise<any> {
    return new Promise((resolve) => {
      this.waiters.add({ systemId, matches, resolve });
      this.recheck();
    });
  }

  async stop(): Promise<void> {
    const stopped = this.tree.stop();
    // Let graceful children with delayed drains finish on simulated time.
    for (let i = 0; i < 1_000 && this.tree.root.getSnapshot().status === 'active'; i += 1) this.clock.increment(100);
    await stopped;
  }

  private recheck(): void {
    for (const waiter of [...this.waiters]) {
      const ref = this.tree.get(waiter.systemId);
      if (!ref) continue;
      this.watch(ref);
      const snapshot = ref.getSnapshot();
      if (waiter.matches(snapshot)) {
        this.waiters.delete(waiter);
        waiter.resolve(snapshot);
      }
    }
  }

  /** Async actors (promises, sockets) change state outside send/advance; re-check when they do. */
  private watch(ref: AnyActorRef): void {
    if (this.watched.has(ref)) return;
    this.watched.add(ref);
    ref.subscribe({ next: () => this.recheck(), error: () => this.recheck() });
  }
}

export function createTestHarness(root: SupervisorOptions, options?: HarnessOptions): TestHarness {
  return new TestHarness(root, options);
}
