import type { Job } from 'bullmq';
import { Redis as IORedis, type Redis } from 'ioredis';
import type { Fence } from '../lease/fence.ts';
import type { Logger } from '../log/logger.ts';
import type { IbSession } from '../ib/session/ibSession.ts';
import type { SupervisionTree } from '../supervision/supervisionTree.ts';
import type { OrderTiming } from '../machines/orders/orderTypes.ts';
import type { QuoteSource } from '../machines/orders/algorithms/quotes.ts';
import { DEFAULT_EXCHANGES, tickSizeFor } from '../instruments/defaultFutures.ts';
import { OrderAuditTrail } from '../audit/index.ts';
import type { OrderJob } from './schema/index.ts';
import { BREAK_TOPIC, BreakRegistry } from './breakRegistry.ts';
import { ClientIdOwners, type ConnectionInfo } from './clientIdOwners.ts';
import { FillAssembly } from './fillAssembly.ts';
import { FillStream, type FillStreamOptions } from './fillStream.ts';
import type { JobRetention } from './jobRetention.ts';
import type { IntakeHalt } from './intakeHalt.ts';
import { LiveOrders } from './liveOrders.ts';
import type { MarginCheckConfig } from './marginCheck.ts';
import { OrderAuditor } from './orderAuditor.ts';
import type { OrderFaultHooks } from './orderFaultHooks.ts';
import { OrderIntake, type ContractRouting, type IntakeResult } from './orderIntake.ts';
import { OrderRecovery } from './orderRecovery.ts';
import { OrderRouter } from './orderRouter.ts';
import { OrderStore } from './orderStore.ts';
import { PositionBook, type ContractMonths } from './positionBook.ts';
import { DEFAULT_PRE_TRADE_LIMITS, type PreTradeLimits } from './preTradeChecks.ts';
import { orderActorId } from './orderActorIds.ts';
import { OrderMeter, noOrderMetrics, type OrderMetrics } from './orderMetrics.ts';

export interface OrderServiceOptions {
  tree: SupervisionTree;
  session: IbSession;
  /** The runtime's shared connection: the order dead-letter queue writes on it. */
  redis: Redis;
  /** The orders side opens its own connections: pipelined transition writes, pre-send writes, job polling. */
  redisUrl: string;
  logger: Logger;
  limits?: PreTradeLimits;
  timing?: OrderTiming;
  exchanges?: Record<string, string>;
  concurrency?: number;
  /** BullMQ job lock: a job picked up by a process that died is handed out again after this. */
  queueLockMs?: number;
  /** BullMQ key prefix, the order store's and the audit stream: the namespace's (namespaceKeys().bullPrefix, .ordersPrefix, .auditStream()). */
  prefix: string;
  storePrefix: string;
  auditKey: string;
  /** Where orders go: the connection's client id and gateway, for the audit trail. */
  connectionInfo?: ConnectionInfo;
  /** Prices for limit-chase and the price collar (the consolidated market data). */
  quotes?: QuoteSource;
  /** Minimum price increments by symbol, over the built-in ones. */
  tickSizes?: Record<string, number>;
  /** How long a fill waits for its executions' commissions before it is published without them (default 250 ms). */
  commissionWaitMs?: number;
  /** Ask IB (whatIf) what each order would do to margin before sending it; off when absent. */
  marginCheck?: MarginCheckConfig;
  /** While halted, orders that add risk are refused with the reason (they end rejected). */
  halt?: IntakeHalt;
  /** Test-only (testing.faultHooks): armed order actors throw in their next action. */
  faultHooks?: OrderFaultHooks;
  /** Why orders may not be sent to the connected account (a LIVE one without broker.allowLive), or null. */
  accountRefusal?: () => string | null;
  /** This node's lease: every durable order write carries its token (none: unfenced, outside a leased runtime). */
  fence?: Fence;
  /** The fills stream every consumer group reads (namespaceKeys().fillStream, .fillStreamMarker, orders.fillStream); absent: fills go to the `fills` queue only. */
  fillStream?: Omit<FillStreamOptions, 'fence' | 'logger'>;
  /** How long finished `orders` and `fills` jobs are kept (orders.jobRetention; default 24 h / 10,000 completed, 7 days failed). */
  jobRetention?: JobRetention;
  /** CLIENT SETNAME of the service's own Redis connections (which node wrote what). */
  redisConnectionName?: string;
  /** Which month an order without an expiry trades, and the month of a last trade date (position keys): the process's ContractResolver. */
  contracts?: ContractMonths & ContractRouting;
  /** Where order outcomes, refusals and latencies are counted (none: not counted). */
  metrics?: OrderMetrics;
}

const NO_QUOTES: QuoteSource = { touch: () => null };

/**
 * The orders side of the runtime, composed: intake (the `orders` queue) starts order actors
 * (live orders), whose written transitions become fills (fill assembly); recovery brings open
 * orders back and keeps them reconciled with the broker. This class only builds and starts/stops
 * them, in that order, and answers the runtime's questions.
 */
export class OrderService {
  readonly store: OrderStore;
  readonly positions: PositionBook;
  readonly breaks: BreakRegistry;
  readonly audit: OrderAuditTrail;
  /** Auto-pipelined: the bulk of small writes (transitions, audit, fills) leaves in few socket writes. */
  private readonly transitionWrites: IORedis;
  /** The writes an order waits on before it can be sent (creation, send attempt), unqueued behind the bulk. */
  private readonly preSendWrites: IORedis;
  private readonly router: OrderRouter;
  private readonly fills: FillAssembly;
  private readonly live: LiveOrders;
  private readonly intake: OrderIntake;
  private readonly recovery: OrderRecovery;
  /** Settles once intake takes jobs: after open orders are back and positions are seeded from the broker. */
  private intakeStarted: Promise<void> | null = null;
  private stopped = false;
  private readonly logger: Logger;
  private readonly unsubscribeCommissions: () => void;

  constructor(options: OrderServiceOptions) {
    const { tree, session, logger } = options;
    this.logger = logger;
    this.positions = new PositionBook(options.contracts);
    const named = options.redisConnectionName ? { connectionName: options.redisConnectionName } : {};
    const connect = (settings: { enableAutoPipelining?: boolean; maxRetriesPerRequest: number | null }) => {
      const connection = new IORedis(options.redisUrl, { ...settings, ...named });
      connection.on('error', (error: Error) => logger.debug('order store redis error', { error: error.message }));
      return connection;
    };
    // Every order writes several small commands per transition: auto-pipelining sends those issued
    // in the same tick as one socket write instead of one write each.
    this.transitionWrites = connect({ enableAutoPipelining: true, maxRetriesPerRequest: 3 });
    this.preSendWrites = connect({ maxRetriesPerRequest: 3 });
    this.store = new OrderStore(this.transitionWrites, options.storePrefix, this.preSendWrites, options.fence);
    this.breaks = new BreakRegistry(this.transitionWrites, `${options.storePrefix}:breaks`, (change) => tree.services.bus.publish(BREAK_TOPIC, change));
    this.audit = new OrderAuditTrail(this.transitionWrites, { key: options.auditKey });
    const auditor = new OrderAuditor(this.audit, logger);
    const owners = new ClientIdOwners(options.connectionInfo, this.breaks, logger);
    this.router = new OrderRouter(session.orderFeed, (clientOrderId, event) => tree.send(orderActorId(clientOrderId), event), logger, (execution) => {
      // A fill nobody owns is a break: lock the instrument until someone resolves it.
      logger.error('reconciliation break: execution for an unknown order', { execId: execution.execId, orderRef: execution.orderRef });
    });
    this.fills = new FillAssembly({
      connection: this.transitionWrites,
      prefix: options.prefix,
      store: this.store,
      positions: this.positions,
      router: this.router,
      bus: tree.services.bus,
      logger,
      commissionWaitMs: options.commissionWaitMs ?? 250,
      ...(options.fillStream ? { stream: new FillStream(this.transitionWrites, { ...options.fillStream, fence: options.fence, logger }) } : {}),
      ...(options.jobRetention ? { jobRetention: options.jobRetention } : {}),
    });
    const quotes = options.quotes ?? NO_QUOTES;
    const metrics = options.metrics ?? noOrderMetrics;
    const meter = new OrderMeter(metrics);
    this.unsubscribeCommissions = session.orderFeed.subscribe((update) => {
      if (update.kind === 'commission') metrics.commission(update.currency ?? 'unknown', update.commission);
    });
    this.live = new LiveOrders({
      tree,
      session,
      store: this.store,
      router: this.router,
      positions: this.positions,
      preTrade: {
        limits: options.limits ?? DEFAULT_PRE_TRADE_LIMITS,
        positions: this.positions,
        lockedInstruments: this.breaks.lockedInstruments,
        quotes,
        tickSize: (symbol) => tickSizeFor(symbol, options.tickSizes),
        ...(options.halt ? { halt: options.halt } : {}),
        ...(options.accountRefusal ? { accountRefusal: options.accountRefusal } : {}),
      },
      owners,
      auditor,
      fills: this.fills,
      logger,
      timing: options.timing ?? { ackTimeoutMs: 10_000, cancelTimeoutMs: 10_000 },
      exchanges: { ...DEFAULT_EXCHANGES, ...options.exchanges },
      tickSizes: options.tickSizes,
      quotes,
      marginCheck: options.marginCheck,
      faultHooks: options.faultHooks,
      meter,
    });
    this.intake = new OrderIntake({
      meter,
      tree,
      store: this.store,
      live: this.live,
      owners,
      auditor,
      logger,
      // BullMQ's blocking commands need a connection of their own, retried forever.
      connectJobPolling: () => connect({ maxRetriesPerRequest: null }),
      deadLetterConnection: options.redis,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 50,
      queueLockMs: options.queueLockMs ?? 30_000,
      ...(options.jobRetention ? { jobRetention: options.jobRetention } : {}),
      fence: options.fence,
      positions: this.positions,
      ...(options.contracts ? { contracts: options.contracts } : {}),
    });
    this.recovery = new OrderRecovery({ tree, session, store: this.store, live: this.live, positions: this.positions, breaks: this.breaks, owners, logger });
  }

  /**
   * Brings back open orders, then, once the broker's positions have seeded the position book,
   * starts taking jobs; reconciles on every reconnect. Resolves once the orders are back (intake
   * may wait for the broker: see `whenTakingJobs`).
   */
  async start(): Promise<void> {
    await this.breaks.refresh();
    await this.fills.start();
    await this.recovery.start();
    this.intakeStarted = this.recovery.seedPositions().then(() => {
      if (this.stopped) return;
      this.intake.start();
      this.logger.info('order intake started', { positionsSeeded: this.positions.seeded, openOrders: this.live.size });
    });
    this.intakeStarted.catch((error: Error) => this.logger.error('order intake did not start', { error: error.message }));
  }

  /** Resolves once the worker takes jobs (after the first reconciliation seeded positions). */
  whenTakingJobs(): Promise<void> {
    return this.intakeStarted ?? Promise.reject(new Error('the order service was not started'));
  }

  /** One job from the `orders` queue (the Worker's processor; tests call it directly). */
  process(job: Job, token?: string): Promise<IntakeResult> {
    return this.intake.process(job, token);
  }

  accept(job: OrderJob, jobId?: string, payload?: unknown): Promise<IntakeResult> {
    return this.intake.accept(job, jobId, payload);
  }

  /** The kill switch's cancel-all: every order working in this process is asked to cancel (a TWAP parent cancels its slices). */
  cancelAllWorking(): number {
    return this.intake.cancelAllWorking();
  }

  recoverFromStateLoss(): Promise<{ rewritten: number }> {
    return this.recovery.recoverFromStateLoss();
  }

  /** One reconciliation pass now (also used by tests and the CLI). */
  reconcile() {
    return this.recovery.reconcile();
  }

  /** For `/actors`: open breaks and locked instruments. */
  status(): Record<string, unknown> {
    return { lockedInstruments: [...this.breaks.lockedInstruments], breaks: this.breaks.breaks };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.live.stop();
    this.unsubscribeCommissions();
    this.recovery.stop();
    await this.intake.stop();
    await this.fills.stop();
    await this.transitionWrites.quit().catch(() => this.transitionWrites.disconnect());
    await this.preSendWrites.quit().catch(() => this.preSendWrites.disconnect());
    this.router.close();
  }
}
