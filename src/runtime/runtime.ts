import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { SupervisorOptions } from '../supervision/childSpec.ts';
import { createSupervisionServices } from '../supervision/services.ts';
import { SupervisionTree, type TreeOutcome } from '../supervision/supervisionTree.ts';
import { startInspectorRelay, type InspectorRelay } from '../inspect/inspectorRelay.ts';
import { streamInspectionTo, type InspectionStream } from '../inspect/inspectionStream.ts';
import { RuntimeMetrics } from './metrics.ts';
import type { ActorNode, DeliveryResult, InjectedEvent, InjectionAudit, NodeRoleView, OrderJobSubmission, Readiness, RuntimeView } from './runtimeView.ts';
import { InjectedEventPolicy, isBrokerOrigin } from './injectedEventPolicy.ts';
import type { OrderIntake } from './orderIntake.ts';
import { LEASE_ID, nodeRoleOf } from './leaseChild.ts';
import type { LeaseContext } from '../machines/lease/leaseTypes.ts';
import type { Redis } from 'ioredis';
import { namespaceKeys } from '../redis/namespaceKeys.ts';
import { BreakRegistry } from '../orders/breakRegistry.ts';
import { ORDER_QUEUE_NAME } from '../orders/schema/index.ts';
import { DeadLetterQueue, type ReplayAllResult, type ReplayResult } from '../queues/index.ts';
import { CLOSE_QUEUE_NAME } from '../regulatory/monitoring/closeDeadLetters.ts';
import { REPORTS_QUEUE_NAME } from '../regulatory/pipeline/reportJob.ts';

export interface RuntimeOptions {
  config: Config;
  logger: Logger;
  root: SupervisorOptions;
  /** Where `submitOrderJob` puts jobs (every node of `tradewire start` has one); absent: orders do not run here. */
  intake?: OrderIntake;
  /** This node's name in the lease, when one runs in the tree (its role is then read from the lease actor). */
  nodeId?: string;
}

/** One supervised process: the tree, its metrics and (optionally) its inspection stream. */
export class Runtime implements RuntimeView {
  readonly tree: SupervisionTree;
  readonly metrics: RuntimeMetrics;
  private constructor(
    private readonly options: RuntimeOptions,
    private readonly relay: InspectorRelay | null,
    private readonly stream: InspectionStream | null,
  ) {
    this.metrics = new RuntimeMetrics(() => this.actorTree());
    const services = createSupervisionServices({ logger: options.logger, hooks: this.metrics.hooks() });
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
  static async start(options: RuntimeOptions): Promise<Runtime> {
    let relay: InspectorRelay | null = null;
    let stream: InspectionStream | null = null;
    if (options.config.inspect.enabled) {
      relay = await startInspectorRelay({ port: options.config.inspect.port });
      stream = streamInspectionTo(relay.wsUrl);
      options.logger.info(`inspector: open ${relay.pageUrl} (stream at ${relay.wsUrl})`, { pageUrl: relay.pageUrl, wsUrl: relay.wsUrl });
    }
    const runtime = new Runtime(options, relay, stream);
    runtime.tree.start();
    return runtime;
  }

  get inspector(): { pageUrl: string; wsUrl: string } | null {
    return this.relay ? { pageUrl: this.relay.pageUrl, wsUrl: this.relay.wsUrl } : null;
  }

  get metricsRegistry() {
    return this.metrics.registry;
  }

  /**
   * Conditions beyond the tree that keep the process from being ready (halted intake, a lost Redis
   * state, a failed day close): each names itself and returns its reasons, empty when fine.
   */
  private readonly readinessChecks = new Map<string, () => string[]>();

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

  deliver(systemId: string, event: InjectedEvent, meta: { requestId: string }): DeliveryResult {
    const result = this.tree.send(systemId, event);
    if (result === 'delivered' || result === 'buffered') this.metrics.eventsDelivered.inc({ source: 'admin' });
    this.options.logger.info('event injected', { systemId, eventType: event.type, requestId: meta.requestId, delivery: result });
    return result;
  }

  /** From the lease actor's snapshot; a standby until it runs. Without a lease (no nodeId), the one node is active. */
  nodeRole(): NodeRoleView {
    const { namespace } = this.options.config;
    const { nodeId } = this.options;
    if (nodeId === undefined) return { role: 'active', namespace, nodeId: 'local', token: null, activeNodeId: null };
    const snapshot = this.tree.get(LEASE_ID)?.getSnapshot() as { context: LeaseContext; value: unknown } | undefined;
    return snapshot?.context ? nodeRoleOf(snapshot) : { role: 'standby', namespace, nodeId, token: null, activeNodeId: null };
  }

  /** The source queues that dead-letter their final failures (`<queue>:dead`). */
  static readonly DEAD_LETTER_QUEUES: readonly string[] = [ORDER_QUEUE_NAME, REPORTS_QUEUE_NAME, CLOSE_QUEUE_NAME];

  /** Operator actions on state kept in Redis: present once `useOperatorRedis` gave them a connection. */
  clearBreak?: (symbol: string) => Promise<boolean>;
  deadLetterQueues?: () => readonly string[];
  replayDeadLetters?: (queue: string, id?: string) => Promise<ReplayResult | ReplayAllResult>;
  purgeDeadLetters?: (queue: string, olderThanMs: number) => Promise<string[]>;

  /**
   * Lets the admin API clear breaks and replay or purge dead letters, on `redis` (the caller owns
   * it) under this config's namespace: the keys the order service and the queues' workers use, so
   * the CLI never writes Redis itself. The order service picks up a cleared break on its next
   * refresh (every 2 s).
   */
  useOperatorRedis(redis: Redis): void {
    const keys = namespaceKeys(this.options.config.namespace);
    const logger = this.options.logger;
    const withDeadLetters = async <T>(queue: string, use: (dlq: DeadLetterQueue) => Promise<T>): Promise<T> => {
      const dlq = new DeadLetterQueue(queue, { connection: redis, prefix: keys.bullPrefix, logger });
      try {
        return await use(dlq);
      } finally {
        await dlq.close().catch(() => undefined);
      }
    };
    this.clearBreak = (symbol) => new BreakRegistry(redis, keys.orderBreaks).clear(symbol);
    this.deadLetterQueues = () => Runtime.DEAD_LETTER_QUEUES;
    this.replayDeadLetters = (queue, id) => withDeadLetters<ReplayResult | ReplayAllResult>(queue, (dlq) => (id === undefined ? dlq.replayAll() : dlq.replay(id)));
    this.purgeDeadLetters = (queue, olderThanMs) => withDeadLetters(queue, (dlq) => dlq.purge({ olderThanMs }));
  }

  submitOrderJob(job: unknown): Promise<OrderJobSubmission> {
    if (!this.options.intake) return Promise.resolve({ accepted: false, unavailable: 'orders are not running in this process (orders.enabled is false)' });
    return this.options.intake.submit(job);
  }

  private policy: InjectedEventPolicy | null = null;

  private get injectedEvents(): InjectedEventPolicy {
    const { testing, broker } = this.options.config;
    // The config refuses the flag with broker mode ib at load; checked again, as this is the gate.
    this.policy ??= new InjectedEventPolicy(this.tree.services.profiles, { brokerEventInjection: testing.brokerEventInjection && broker.mode === 'sim' });
    return this.policy;
  }

  /** An unknown actor is not refused here: `deliver` answers it (404), as it would any event. */
  validateEvent(systemId: string, event: InjectedEvent): string | null {
    if (!this.hasActor(systemId)) return null;
    return this.injectedEvents.problemWith(systemId, event);
  }

  /** Set while orders run (see capabilities/orders.ts): writes events injected into order actors to the audit trail. */
  injectionAudit: InjectionAudit | null = null;

  async recordInjection(systemId: string, event: InjectedEvent, meta: { requestId: string }): Promise<string | null> {
    if (!this.hasActor(systemId) || !this.injectedEvents.isAudited(systemId)) return null;
    if (!this.injectionAudit) return 'orders are not running in this process, so the injection cannot be audited';
    return this.injectionAudit(systemId, event, meta.requestId, isBrokerOrigin(event.type));
  }

  private hasActor(systemId: string): boolean {
    return systemId === this.tree.rootId || this.tree.services.addresses.has(systemId);
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
