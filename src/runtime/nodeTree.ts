import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { SupervisorOptions } from '../supervision/childSpec.ts';
import { createSupervisionServices } from '../supervision/services.ts';
import type { ExitReason } from '../supervision/restartPolicy.ts';
import { SupervisionTree, type TreeOutcome } from '../supervision/supervisionTree.ts';
import type { ActorNode, Readiness } from '../supervision/treeView.ts';
import type { InspectorRelay } from '../inspect/inspectorRelay.ts';
import type { InspectionStream } from '../inspect/inspectionStream.ts';
import { RuntimeMetrics } from './metrics.ts';

/** What a supervisor did to a child (or, escalating, to itself): `reason` says how a child exited. */
export interface SupervisionChange {
  kind: 'started' | 'restart' | 'stopped' | 'escalation';
  supervisorId: string;
  systemId: string;
  reason?: ExitReason;
}

export interface NodeTreeOptions {
  config: Config;
  logger: Logger;
  root: SupervisorOptions;
}

/**
 * The node's supervision services, built before anything that uses them: the event bus, the dead
 * letters, the metrics registry and the tree (with its inspection stream when `inspect` is on),
 * and the readiness checks beyond the tree.
 */
export class NodeTree {
  readonly tree: SupervisionTree;
  readonly metrics: RuntimeMetrics;
  /**
   * Conditions beyond the tree that keep the process from being ready (halted intake, a lost Redis
   * state, a failed day close): each names itself and returns its reasons, empty when fine.
   */
  private readonly readinessChecks = new Map<string, () => string[]>();
  /** Told of every child start (each incarnation), after the child runs and is addressable. */
  private readonly startListeners = new Set<(supervisorId: string, childId: string) => void>();
  /** Told of what every supervisor does: starts, restarts, exits and escalations. */
  private readonly supervisionListeners = new Set<(change: SupervisionChange) => void>();

  private constructor(
    private readonly options: NodeTreeOptions,
    private readonly relay: InspectorRelay | null,
    private readonly stream: InspectionStream | null,
  ) {
    this.metrics = new RuntimeMetrics(() => this.tree.describe());
    const hooks = this.metrics.hooks();
    const tell = (change: SupervisionChange) => {
      for (const listener of this.supervisionListeners) listener(change);
    };
    const services = createSupervisionServices({
      logger: options.logger,
      hooks: {
        ...hooks,
        childStarted: (supervisorId, childId, incarnation) => {
          hooks.childStarted?.(supervisorId, childId, incarnation);
          for (const listener of this.startListeners) listener(supervisorId, childId);
          // A later incarnation is told as the restart.
          if (incarnation <= 1) tell({ kind: 'started', supervisorId, systemId: childId });
        },
        restarted: (supervisorId, childId) => {
          hooks.restarted?.(supervisorId, childId);
          tell({ kind: 'restart', supervisorId, systemId: childId });
        },
        childExited: (supervisorId, childId, reason) => {
          hooks.childExited?.(supervisorId, childId, reason);
          tell({ kind: 'stopped', supervisorId, systemId: childId, reason });
        },
        escalated: (supervisorId) => {
          hooks.escalated?.(supervisorId);
          tell({ kind: 'escalation', supervisorId, systemId: supervisorId });
        },
      },
    });
    this.metrics.observe(services.deadLetters, services.bus);
    services.deadLetters.onDeadLetter((letter) =>
      options.logger.warn('dead letter', { systemId: letter.systemId, eventType: letter.event.type, reason: letter.reason }),
    );
    services.bus.onSubscriberFailure((failure) =>
      options.logger.error('event bus subscriber failed', { subscriber: failure.subscriber, topic: failure.topic, error: String(failure.error) }),
    );
    this.tree = new SupervisionTree({
      root: options.root,
      services,
      ...(stream ? { inspect: stream.observer } : {}),
    });
  }

  /** Builds and starts the tree; with inspection on, the stream is attached before the root exists. */
  static async start(options: NodeTreeOptions): Promise<NodeTree> {
    let relay: InspectorRelay | null = null;
    let stream: InspectionStream | null = null;
    if (options.config.inspect.enabled) {
      // Loaded only when on: the relay and the inspector client (ws, @statelyai/inspect) cost every start otherwise.
      const [{ startInspectorRelay }, { streamInspectionTo }] = await Promise.all([import('../inspect/inspectorRelay.ts'), import('../inspect/inspectionStream.ts')]);
      relay = await startInspectorRelay({ port: options.config.inspect.port });
      stream = streamInspectionTo(relay.wsUrl);
      options.logger.info(`inspector: open ${relay.pageUrl} (stream at ${relay.wsUrl})`, { pageUrl: relay.pageUrl, wsUrl: relay.wsUrl });
    }
    const node = new NodeTree(options, relay, stream);
    node.tree.start();
    return node;
  }

  get inspector(): { pageUrl: string; wsUrl: string } | null {
    return this.relay ? { pageUrl: this.relay.pageUrl, wsUrl: this.relay.wsUrl } : null;
  }

  /** Watches child starts (every incarnation, anywhere in the tree); the child is running and `tree.get(childId)` finds it. */
  onChildStarted(listener: (supervisorId: string, childId: string) => void): () => void {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }

  /** Watches every supervisor's starts, restarts, exits and escalations, anywhere in the tree. */
  onSupervision(listener: (change: SupervisionChange) => void): () => void {
    this.supervisionListeners.add(listener);
    return () => this.supervisionListeners.delete(listener);
  }

  addReadinessCheck(name: string, check: () => string[]): () => void {
    this.readinessChecks.set(name, check);
    return () => this.readinessChecks.delete(name);
  }

  readiness(): Readiness {
    const tree = this.tree.readiness();
    const reasons = [...tree.reasons];
    for (const check of this.readinessChecks.values()) reasons.push(...check());
    return { ready: reasons.length === 0, reasons };
  }

  actorTree(): ActorNode {
    return this.tree.describe();
  }

  /** Resolves once every permanent child is running (polled: nested snapshots don't notify the root). */
  whenReady(pollMs = 50): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.readiness().ready) return resolve();
        setTimeout(check, pollMs).unref();
      };
      check();
    });
  }

  /** Graceful stop within `shutdownTimeoutMs`; past it, the tree is stopped at once. */
  async stop(): Promise<TreeOutcome> {
    const deadline = this.options.config.shutdownTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<TreeOutcome>((resolve) => {
      timer = setTimeout(() => {
        this.options.logger.warn('graceful stop overran shutdownTimeoutMs; stopping at once', { shutdownTimeoutMs: deadline });
        this.tree.forceStop();
        resolve({ kind: 'stopped' });
      }, deadline);
    });
    const outcome = await Promise.race([this.tree.stop(), overrun]);
    clearTimeout(timer);
    await this.closeInspection();
    return outcome;
  }

  async closeInspection(): Promise<void> {
    this.stream?.stop();
    await this.relay?.close();
  }
}
