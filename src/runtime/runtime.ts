import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { SupervisorOptions } from '../supervision/childSpec.ts';
import type { SupervisionTree, TreeOutcome } from '../supervision/supervisionTree.ts';
import type {
  ActorNode,
  AdminRequestRecord,
  AdminSessionRecord,
  BoardQueue,
  DeliveryResult,
  InjectedEvent,
  InjectionAudit,
  LiveEventsView,
  NodeRoleView,
  OrderJobSubmission,
  OrderReadsView,
  Readiness,
  RuntimeView,
} from '../admin/runtimeView.ts';
import type { ConnectionView } from '../admin/schemas/connectionViews.ts';
import type { HaltStateView } from '../admin/schemas/haltStateViews.ts';
import type { DeadLetterRow, QueueOverview } from '../admin/schemas/deadLetterViews.ts';
import type { ReportsView } from '../admin/schemas/reportViews.ts';
import type { AuditVerifyRange, AuditVerifyView } from '../admin/schemas/auditVerifyViews.ts';
import { ActorFeed } from './actorFeed.ts';
import { auditVerification } from './auditVerification.ts';
import type { DeadLetterReads } from './deadLetterReads.ts';
import type { PositionsInput } from '../admin/schemas/positionViews.ts';
import type { PricesInput } from '../admin/schemas/priceViews.ts';
import { InjectedEventPolicy } from './injectedEventPolicy.ts';
import { isBrokerOrigin } from '../admin/reservedEvents.ts';
import type { OrderIntake } from './orderIntake.ts';
import { LEASE_ID, nodeRoleOf } from './leaseChild.ts';
import type { LeaseContext } from '../machines/lease/leaseTypes.ts';
import type { Redis } from 'ioredis';
import type { OrderAuditTrail } from '../audit/index.ts';
import type { OrderFaultHooks } from '../orders/orderFaultHooks.ts';
import { namespaceKeys } from '../redis/namespaceKeys.ts';
import { BreakRegistry } from '../orders/breakRegistry.ts';
import { ORDER_QUEUE_NAME } from '../orders/schema/index.ts';
import { DeadLetterQueue, type ReplayAllResult, type ReplayResult } from '../queues/index.ts';
import { CLOSE_QUEUE_NAME } from '../regulatory/monitoring/closeDeadLetters.ts';
import { REPORTS_QUEUE_NAME } from '../regulatory/pipeline/reportJob.ts';
import type { HaltSwitchView } from '../admin/haltSwitchView.ts';
import { NodeTree } from './nodeTree.ts';
import type { RuntimeMetrics } from './metrics.ts';
import { historicalBarsThrough, type HistoricalBar, type HistoricalBarsRequest } from '../ib/session/historicalBars.ts';
import type { BrokerSessions } from './capabilities/broker.ts';
import { IB_CONNECTION_ID } from './capabilities/ibConnectionChild.ts';
import type { ContractResolver } from '../contracts/index.ts';
import { inPolicyMonth } from './historyContractMonth.ts';

/** What the admin view reads of the orders capability: both present only while orders run. */
export interface OrdersView {
  /** Writes an injected event into its order's audit trail; null while orders do not run. */
  injectionAudit(): InjectionAudit | null;
  /** Test-only order fault hooks (`testing.faultHooks`); undefined unless on and orders run. */
  faultHooks(): OrderFaultHooks | undefined;
}

export interface RuntimeOptions {
  config: Config;
  logger: Logger;
  /** Where `submitOrderJob` puts jobs (every node of `tradewire start` has one); absent: orders do not run here. */
  intake?: OrderIntake;
  /** This node's name in the lease, when one runs in the tree (its role is then read from the lease actor). */
  nodeId?: string;
  orders?: OrdersView;
  /** The order-intake halt switch; absent where orders do not run. */
  haltSwitch?: HaltSwitchView;
  /** Where authenticated mutating requests are recorded (the hash-chained audit trail); absent without one. */
  adminAudit?: OrderAuditTrail;
  /** Breaks and dead letters are cleared, replayed and purged on this connection (the caller owns it). */
  operatorRedis?: Redis;
  /** The broker's sessions: historical bars are asked of IB through the `ib` session; absent where no broker runs. */
  broker?: Pick<BrokerSessions, 'session'>;
  /** Chooses the month of a future a history request names by symbol alone. */
  contracts?: ContractResolver;
  /** Orders and fills as Redis holds them (`GET /orders`, `/fills`); absent where none are read. */
  orderReads?: OrderReadsView;
  /** The position book next to the broker's (`GET /positions`); resolves to null while no order service runs here. */
  positions?: () => Promise<PositionsInput | null>;
  /** The consolidated prices (`GET /prices`); absent where no market-data engine runs. */
  prices?: () => PricesInput;
  /** The node's reader of the event stream, for `GET /events`; absent: no live events here. */
  liveEvents?: LiveEventsView;
  /** The IB connections of the current broker start (`GET /connections`); absent where no broker runs. */
  connections?: () => ConnectionView[];
  /** The intake halt's causes with who and since (`GET /halt`); absent where orders do not run. */
  haltState?: () => HaltStateView;
  /** The namespace's queues and dead letters, read (`GET /dlq`, `GET /dlq/:queue`, Bull Board); the caller closes them. */
  queueReads?: DeadLetterReads;
  /** Regulatory filings (`GET /reports`). */
  reports?: () => Promise<ReportsView>;
}

/**
 * What the admin API sees of a running node (RuntimeView), over its tree and the services and
 * capabilities it is given at construction.
 */
export class Runtime implements RuntimeView {
  constructor(
    readonly node: NodeTree,
    private readonly options: RuntimeOptions,
  ) {
    if (options.operatorRedis) this.useOperatorRedis(options.operatorRedis);
    if (options.haltSwitch) this.haltSwitch = options.haltSwitch;
    if (options.liveEvents) this.liveEvents = options.liveEvents;
    const { broker } = options;
    if (broker) {
      const contracts = options.contracts;
      this.historicalBars = historicalBarsThrough(() => broker.session(IB_CONNECTION_ID), contracts ? inPolicyMonth(contracts) : undefined);
    }
    if (options.orderReads) this.orderReads = options.orderReads;
    if (options.positions) this.positions = options.positions;
    if (options.prices) this.prices = options.prices;
    const trail = options.adminAudit;
    if (trail) {
      this.auditAdminRequest = async (request) => {
        await trail.append({ kind: 'adminRequest', actor: 'admin', ...request });
      };
      this.auditAdminSession = async (record) => {
        await trail.append({ kind: 'adminSession', actor: 'admin', ...record });
      };
      this.verifyAudit = auditVerification(trail);
    }
    this.actorFeed = new ActorFeed({ tree: () => node.actorTree(), onSupervision: (listener) => node.onSupervision(listener) });
    if (options.connections) this.connections = options.connections;
    if (options.haltState) this.haltState = options.haltState;
    if (options.reports) this.reports = options.reports;
    const queues = options.queueReads;
    if (queues) {
      this.deadLetterOverview = () => queues.overview();
      this.deadLetterList = (queue, limit) => queues.list(queue, limit);
      this.boardQueues = () => queues.boardQueues();
    }
  }

  /** A node's tree with a view over it and nothing else (tests, tools). */
  static async start(options: { config: Config; logger: Logger; root: SupervisorOptions }): Promise<Runtime> {
    return new Runtime(await NodeTree.start(options), options);
  }

  get tree(): SupervisionTree {
    return this.node.tree;
  }

  get metrics(): RuntimeMetrics {
    return this.node.metrics;
  }

  get metricsRegistry() {
    return this.node.metrics.registry;
  }

  get inspector(): { pageUrl: string; wsUrl: string } | null {
    return this.node.inspector;
  }

  addReadinessCheck(name: string, check: () => string[]): () => void {
    return this.node.addReadinessCheck(name, check);
  }

  readiness(): Readiness {
    return this.node.readiness();
  }

  actorTree(): ActorNode {
    return this.node.actorTree();
  }

  whenReady(pollMs?: number): Promise<void> {
    return this.node.whenReady(pollMs);
  }

  stop(): Promise<TreeOutcome> {
    return this.node.stop();
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

  haltSwitch?: HaltSwitchView;
  liveEvents?: LiveEventsView;
  historicalBars?: (request: HistoricalBarsRequest) => Promise<HistoricalBar[]>;
  orderReads?: OrderReadsView;
  positions?: () => Promise<PositionsInput | null>;
  prices?: () => PricesInput;
  auditAdminRequest?: (request: AdminRequestRecord) => Promise<void>;
  auditAdminSession?: (record: AdminSessionRecord) => Promise<void>;
  verifyAudit?: (range: AuditVerifyRange) => Promise<Omit<AuditVerifyView, 'from' | 'to'>>;
  readonly actorFeed: ActorFeed;
  connections?: () => ConnectionView[];
  haltState?: () => HaltStateView;
  reports?: () => Promise<ReportsView>;
  deadLetterOverview?: () => Promise<QueueOverview[]>;
  deadLetterList?: (queue: string, limit: number) => Promise<DeadLetterRow[]>;
  boardQueues?: () => readonly BoardQueue[];

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

  /** Test-only order fault hooks, while orders run with `testing.faultHooks` on. */
  get orderFaultHooks(): OrderFaultHooks | undefined {
    return this.options.orders?.faultHooks();
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

  async recordInjection(systemId: string, event: InjectedEvent, meta: { requestId: string }): Promise<string | null> {
    if (!this.hasActor(systemId) || !this.injectedEvents.isAudited(systemId)) return null;
    const audit = this.options.orders?.injectionAudit() ?? null;
    if (!audit) return 'orders are not running in this process, so the injection cannot be audited';
    return audit(systemId, event, meta.requestId, isBrokerOrigin(event.type));
  }

  private hasActor(systemId: string): boolean {
    return systemId === this.tree.rootId || this.tree.services.addresses.has(systemId);
  }
}
