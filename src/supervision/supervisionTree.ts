import { indexScheduler } from './indexedScheduler.ts';
import { createActor, type ActorSystem, type AnyActorRef, type EventObject, type InspectionEvent, type Observer } from 'xstate';
import type { ChildSpec, SupervisorOptions } from './childSpec.ts';
import { START_CHILD_EVENT, TERMINATE_CHILD_EVENT } from './supervisorCore.ts';
import type { DeliveryResult } from './addressBook.ts';
import type { ActorNode, Readiness } from './treeView.ts';
import { SERVICES, type SupervisionServices } from './services.ts';
import { supervisorLogic, type SupervisorInput, type SupervisorSnapshot } from './supervisorLogic.ts';
import { SHUTDOWN_EVENT } from './shutdownProtocol.ts';
import { describeTree, readinessOf } from './treeView.ts';
import type { TimerClock } from '../shared/clock.ts';

export interface SupervisionTreeOptions {
  root: SupervisorOptions;
  services: SupervisionServices;
  rootId?: string;
  clock?: TimerClock;
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

export type TreeOutcome = { kind: 'stopped' } | { kind: 'escalated'; error: unknown };

/**
 * The whole runtime as one XState actor system with one root supervisor.
 * Everything in it is reachable by `system.get(systemId)` and seen by the inspector.
 */
export class SupervisionTree {
  readonly root: AnyActorRef;
  readonly rootId: string;
  readonly services: SupervisionServices;
  /** Settles once the root has stopped, gracefully or by escalation. */
  readonly outcome: Promise<TreeOutcome>;

  constructor(options: SupervisionTreeOptions) {
    this.services = options.services;
    this.rootId = options.rootId ?? 'root';
    const input: SupervisorInput = { ...options.root, [SERVICES]: options.services };
    this.root = createActor(supervisorLogic, {
      input,
      systemId: this.rootId,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.inspect ? { inspect: options.inspect } : {}),
    }) as AnyActorRef;
    indexScheduler(this.root.system);
    this.outcome = new Promise<TreeOutcome>((resolve) => {
      this.root.subscribe({
        complete: () => resolve({ kind: 'stopped' }),
        error: (error) => {
          this.services.logger.error('root supervisor escalated', { systemId: this.rootId, error: String(error) });
          resolve({ kind: 'escalated', error });
        },
      });
    });
  }

  get system(): ActorSystem<any> {
    return this.root.system;
  }

  private startedAt: number | null = null;

  start(): this {
    this.startedAt = this.services.now();
    this.root.start();
    return this;
  }

  /** Graceful stop: children stop in reverse start order, each within its shutdown timeout. */
  async stop(): Promise<TreeOutcome> {
    if (this.root.getSnapshot().status === 'active') this.root.send({ type: SHUTDOWN_EVENT });
    return this.outcome;
  }

  /** Immediate stop, for a second signal: nobody waits. */
  forceStop(): void {
    (this.root as unknown as { stop(): void }).stop();
  }

  /** Sends through the child's stable address: held while it restarts, dead-lettered if gone. */
  send(systemId: string, event: EventObject): DeliveryResult {
    if (systemId === this.rootId) {
      this.root.send(event);
      return 'delivered';
    }
    return this.services.addresses.send(systemId, event);
  }

  /** Adds a child to a running supervisor (OTP's start_child); it starts at once. */
  startChild(supervisorId: string, spec: ChildSpec): void {
    const supervisor = supervisorId === this.rootId ? this.root : this.get(supervisorId);
    if (!supervisor) throw new Error(`no supervisor '${supervisorId}'`);
    supervisor.send({ type: START_CHILD_EVENT, spec } as unknown as EventObject);
  }

  /** Stops a child within its shutdown timeout and forgets it (OTP's terminate_child + delete_child). */
  terminateChild(supervisorId: string, childId: string): void {
    const supervisor = supervisorId === this.rootId ? this.root : this.get(supervisorId);
    supervisor?.send({ type: TERMINATE_CHILD_EVENT, id: childId } as unknown as EventObject);
  }

  get(systemId: string): AnyActorRef | undefined {
    return this.system.get(systemId) as AnyActorRef | undefined;
  }

  describe(): ActorNode {
    return describeTree(this.system, this.root, this.rootId, (id, snapshot) => this.services.profiles.detailsOf(id, snapshot), this.startedAt);
  }

  readiness(): Readiness {
    return readinessOf(this.system, this.root, this.rootId);
  }

  rootSnapshot(): SupervisorSnapshot {
    return this.root.getSnapshot() as SupervisorSnapshot;
  }
}
