import { FencedError, type Fence } from '../lease/fence.ts';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis as IORedis, type Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import type { IbSession } from '../ib/session/ibSession.ts';
import type { SupervisionTree } from '../supervision/supervisionTree.ts';
import type { OrderChanges, OrderContext, OrderInput, OrderSpec, OrderTiming } from '../machines/orders/orderTypes.ts';
import { sliceQuantities } from '../machines/orders/algorithms/twapSchedule.ts';
import type { QuoteSource } from '../machines/orders/algorithms/quotes.ts';
import { DEFAULT_EXCHANGES, tickSizeFor } from './defaultFutures.ts';
import type { MarginCheckConfig } from './marginCheck.ts';
import { createOrderLogic, futuresContract } from '../actors/orders/orderActor.ts';
import { attachDeadLettering, DeadLetterQueue, InvalidPayloadError, type DeadLettering } from '../queues/index.ts';
import { ORDER_QUEUE_NAME, parseOrderJob, type OrderJob } from './schema/index.ts';
import { orderEventSchema } from './schema/orderEvents.ts';
import { OrderRouter } from './orderRouter.ts';
import { FillPublisher } from './fillPublisher.ts';
import { fillJobId, publishFillsOutbox } from './fillsOutbox.ts';
import { newExecutions } from './newExecutions.ts';
import { TwapSlices, orderActorId, sendToOrder } from './twapSlices.ts';
import { OrderStore, type StoredOrder } from './orderStore.ts';
import { PositionBook, contractMonthOf } from './positionBook.ts';
import type { IntakeHalt } from './intakeHalt.ts';
import type { OrderFaultHooks } from './orderFaultHooks.ts';
import { DEFAULT_PRE_TRADE_LIMITS, type PreTradeLimits } from './preTradeChecks.ts';
import { OrderAuditTrail } from '../audit/index.ts';
import { OrderAuditor } from './orderAuditor.ts';
import { BreakRegistry } from './breakRegistry.ts';
import { Reconciler, type ReconcileReport } from './reconciler.ts';

export const FILLS_QUEUE_NAME = 'fills';
export const ORDERS_SUPERVISOR_ID = 'orders';

export interface OrderServiceOptions {
  tree: SupervisionTree;
  session: IbSession;
  /** BullMQ needs its own connections (blocking commands); this one is for the store and queues. */
  redis: Redis;
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
  connectionInfo?: () => { clientId: number; gateway: string };
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
  /** CLIENT SETNAME of the service's own Redis connections (which node wrote what). */
  redisConnectionName?: string;
}

const NO_QUOTES: QuoteSource = { touch: () => null };


export type IntakeResult = { outcome: 'accepted' | 'duplicate' | 'cancelRequested' | 'modifyRequested' | 'unknownOrder' | 'foreignClientOrder'; clientOrderId: string };


/**
 * Orders end to end: jobs from the `orders` queue become supervised order actors, broker updates
 * reach them through the router, every transition is stored, fills go to the `fills` queue and
 * the event bus, and open orders come back after a restart.
 */
export class OrderService {
  readonly store: OrderStore;
  readonly positions = new PositionBook();
  readonly breaks: BreakRegistry;
  private readonly reconciler: Reconciler;
  private stopReconciling: (() => void) | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private breaksRefresh: NodeJS.Timeout | null = null;
  private foreignPoll: NodeJS.Timeout | null = null;
  private readonly router: OrderRouter;
  private readonly fills: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;
  private deadLettering: DeadLettering | null = null;
  private dlq: DeadLetterQueue | null = null;
  private readonly logic: ReturnType<typeof createOrderLogic>;
  private readonly timing: OrderTiming;
  private readonly filledSoFar = new Map<string, number>();
  /** Orders with an actor in this process (running or being restored), with when each was received. */
  private readonly live = new Map<string, { spec: OrderSpec; receivedAt: number }>();
  private stopped = false;
  /** Settles once intake takes jobs: after open orders are back and positions are seeded from the broker. */
  private intakeStarted: Promise<void> | null = null;
  readonly audit: OrderAuditTrail;
  private readonly writes: IORedis;
  /** Creation: the write an order waits on before it can be sent. */
  private readonly critical: IORedis;
  private readonly auditor: OrderAuditor;
  private readonly fillPublisher: FillPublisher;
  private readonly slices: TwapSlices;

  private named(): { connectionName?: string } {
    return this.options.redisConnectionName ? { connectionName: this.options.redisConnectionName } : {};
  }

  constructor(private readonly options: OrderServiceOptions) {
    // Every order writes several small commands per transition: auto-pipelining sends those issued
    // in the same tick as one socket write instead of one write each.
    this.writes = new IORedis(options.redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 3, ...this.named() });
    this.writes.on('error', (error: Error) => options.logger.debug('order store redis error', { error: error.message }));
    this.critical = new IORedis(options.redisUrl, { maxRetriesPerRequest: 3, ...this.named() });
    this.critical.on('error', (error: Error) => options.logger.debug('order store redis error', { error: error.message }));
    this.store = new OrderStore(this.writes, options.storePrefix, this.critical, options.fence);
    this.breaks = new BreakRegistry(this.writes, `${options.storePrefix}:breaks`);
    this.audit = new OrderAuditTrail(this.writes, { key: options.auditKey });
    this.auditor = new OrderAuditor(this.audit, options.logger);
    this.timing = options.timing ?? { ackTimeoutMs: 10_000, cancelTimeoutMs: 10_000 };
    this.router = new OrderRouter(options.session.orderFeed, (clientOrderId, event) => options.tree.send(orderActorId(clientOrderId), event), options.logger, (execution) => {
      // A fill nobody owns is a break: lock the instrument until someone resolves it.
      options.logger.error('reconciliation break: execution for an unknown order', { execId: execution.execId, orderRef: execution.orderRef });
    });
    this.slices = new TwapSlices({
      tree: options.tree,
      store: this.store,
      startSlice: (spec, index) => {
        this.auditor.received(spec.clientOrderId, spec.account, undefined, { parent: spec.parentId, slice: index + 1, quantity: spec.quantity });
        this.startActor(spec, Date.now(), 'fresh');
      },
      adoptIfOrphaned: (clientOrderId) => this.adoptIfOrphaned(clientOrderId, undefined, undefined),
    });
    this.fills = new Queue(FILLS_QUEUE_NAME, { connection: this.writes, prefix: options.prefix });
    // Without a listener BullMQ prints raw stacks to stderr; a Redis outage is already reported by the store.
    this.fills.on('error', (error: Error) => options.logger.debug('fills queue error', { error: error.message }));
    const contractFor = futuresContract({ ...DEFAULT_EXCHANGES, ...options.exchanges });
    this.logic = createOrderLogic({
      session: options.session,
      router: this.router,
      store: this.store,
      logger: options.logger,
      preTrade: {
        limits: options.limits ?? DEFAULT_PRE_TRADE_LIMITS,
        positions: this.positions,
        lockedInstruments: this.breaks.lockedInstruments,
        quotes: options.quotes ?? NO_QUOTES,
        tickSize: (symbol) => tickSizeFor(symbol, options.tickSizes),
        ...(options.halt ? { halt: options.halt } : {}),
        ...(options.accountRefusal ? { accountRefusal: options.accountRefusal } : {}),
      },
      ...(options.faultHooks ? { faultHooks: options.faultHooks } : {}),
      onModifyRefused: (context, changes, reasons) => {
        if (this.foreignOwner(context.order.clientOrderId) !== null) this.refuseIfForeign(context.order.clientOrderId, 'modify');
        this.auditor.modifyRefused(context, changes, reasons);
      },
      contractFor,
      quotes: options.quotes ?? NO_QUOTES,
      ...(options.marginCheck ? { marginCheck: options.marginCheck } : {}),
      issueSlice: (parent, index, quantity) => {
        this.slices.issue(parent, index, quantity).catch((error: Error) =>
          options.logger.error('TWAP slice not issued', { orderId: parent.clientOrderId, slice: index + 1, error: error.message }),
        );
      },
      cancelSlices: (parent, slices) => this.slices.cancel(parent, slices),
      onTransition: (clientOrderId, state, context) => this.onTransition(clientOrderId, state, context),
      onSent: (context, ibOrderId) => {
        const info = options.connectionInfo?.() ?? { clientId: 0, gateway: 'unknown' };
        this.owners.set(context.order.clientOrderId, info.clientId);
        this.auditor.sent(context, ibOrderId, info.clientId, info.gateway);
      },
      foreignOrder: (clientOrderId) => this.foreignOwner(clientOrderId),
      onFound: (clientOrderId, clientId) => {
        if (clientId !== null) this.owners.set(clientOrderId, clientId);
      },
    });
    this.reconciler = new Reconciler({
      session: options.session,
      store: this.store,
      positions: this.positions,
      breaks: this.breaks,
      // A pass still running as the service stops (a handover) has no actors left to tell: the next
      // active node reconciles the same executions.
      deliver: (clientOrderId, event) => {
        if (!this.stopped) options.tree.send(orderActorId(clientOrderId), event);
      },
      logger: options.logger,
    });
    this.fillPublisher = new FillPublisher(this.fills, options.commissionWaitMs ?? 250, options.logger, (clientOrderId, filledQuantity) =>
      this.store.markPublished(clientOrderId, filledQuantity),
    );
    this.router.onCommission = (execId, commission) => void this.fillPublisher.commission(execId, commission);
    this.router.onLateCommission = (clientOrderId, execId, commission) => {
      // Usually it rides in its fill's job (published a moment after the order finished); only if no fill takes it is it published alone.
      this.fillPublisher.unclaimed(execId, () => this.publishCommission(clientOrderId, execId, commission));
    };
  }

  /**
   * Brings back open orders, then, once the broker's positions have seeded the position book,
   * starts taking jobs; reconciles on every reconnect. Resolves once the orders are back (intake
   * may wait for the broker: see `whenTakingJobs`).
   */
  async start(): Promise<void> {
    await this.breaks.refresh();
    // Before any order actor runs again: what the last process stored but did not publish goes now.
    const republished = await publishFillsOutbox(this.store, this.fills);
    if (republished > 0) this.options.logger.warn('fills stored before a crash but not published were published now', { orders: republished });
    await this.recover();
    this.stopReconciling = this.options.session.onReadiness((ready) => {
      if (!ready) return;
      if (this.positions.seeded) this.scheduleReconcile(0);
      // Orders held while IB was out of reach go now; the others ignore it.
      for (const clientOrderId of this.live.keys()) sendToOrder(this.options.tree, clientOrderId, { type: 'connection.ready' });
    });
    // Breaks are cleared from the CLI (another process): pick that up without a round trip per order.
    this.breaksRefresh = setInterval(() => {
      this.breaks.refresh().catch(() => undefined);
    }, 2_000);
    this.breaksRefresh.unref();
    // An order another client id placed (adopted after a takeover) reports its fills to that client
    // and the master only: while one is live here, the broker's executions are read every 2 s.
    this.foreignPoll = setInterval(() => {
      if (this.positions.seeded && [...this.live.keys()].some((clientOrderId) => this.foreignOwner(clientOrderId) !== null)) this.scheduleReconcile(0);
    }, 2_000);
    this.foreignPoll.unref();
    this.intakeStarted = this.seedPositions().then(() => this.startWorker());
    this.intakeStarted.catch((error: Error) => this.options.logger.error('order intake did not start', { error: error.message }));
  }

  /** Resolves once the worker takes jobs (after the first reconciliation seeded positions). */
  whenTakingJobs(): Promise<void> {
    return this.intakeStarted ?? Promise.reject(new Error('the order service was not started'));
  }

  /** The first reconciliation: the position limits need the broker's positions before any order is judged. */
  private async seedPositions(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        const report = await this.reconciler.run();
        if (report.recheck) this.scheduleReconcile(1_000);
        return;
      } catch (error) {
        // A failed broker answer is never read as "no positions": intake waits and asks again.
        if (attempt === 1) this.options.logger.warn('positions not seeded from the broker yet; intake waits', { error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 250 * attempt)).unref());
      }
    }
  }

  private async startWorker(): Promise<void> {
    if (this.stopped) return;
    const { redisUrl, prefix, logger } = this.options;
    const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null, ...this.named() });
    this.workerConnection = connection;
    this.worker = new Worker(ORDER_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection,
      concurrency: this.options.concurrency ?? 50,
      lockDuration: this.options.queueLockMs ?? 30_000,
      // Intake is idempotent (the store's create is the check), so a job whose process died can be
      // handed out again as often as processes die; BullMQ's default (1) would fail it instead.
      maxStalledCount: 1_000,
      stalledInterval: this.options.queueLockMs ?? 30_000,
      // A paused node's blocked BZPOPMIN can take a new job's wake-up (Redis serves the first
      // blocked client): the active node's worker then finds the job at its next poll, within 1 s.
      drainDelay: 1,
      prefix,
    });
    this.worker.on('error', (error) => logger.error('orders worker error', { error: error.message }));
    this.dlq = new DeadLetterQueue(ORDER_QUEUE_NAME, { connection: this.options.redis, logger, prefix });
    this.deadLettering = attachDeadLettering(this.worker, this.dlq, { logger });
    logger.info('order intake started', { positionsSeeded: this.positions.seeded, openOrders: this.live.size });
  }

  private publishCommission(clientOrderId: string, execId: string, commission: number): void {
    // A TWAP slice's commission is the parent's cost: say whose it is, since slices' fills are not published.
    this.store
      .load(clientOrderId)
      .then((stored) => {
        const parent = stored?.spec.parentId ? { parentClientOrderId: stored.spec.parentId } : {};
        return this.fills.add('commission', { clientOrderId, ...parent, execId, commission, at: new Date().toISOString() }, { jobId: `commission.${Buffer.from(execId).toString('base64url')}` });
      })
      .catch((error: Error) => this.options.logger.error('commission not published', { orderId: clientOrderId, error: error.message }));
  }

  /** The kill switch's cancel-all: every order working in this process is asked to cancel (a TWAP parent cancels its slices). */
  cancelAllWorking(): number {
    let asked = 0;
    for (const [clientOrderId, { spec }] of this.live) {
      if (spec.parentId !== undefined) continue;
      if (this.refuseIfForeign(clientOrderId, 'cancel')) continue;
      if (sendToOrder(this.options.tree, clientOrderId, { type: 'CANCEL', reason: 'kill switch: cancel all' }) !== 'unknown') asked += 1;
    }
    return asked;
  }

  /** For `/actors`: open breaks and locked instruments. */
  status(): Record<string, unknown> {
    return { lockedInstruments: [...this.breaks.lockedInstruments], breaks: this.breaks.breaks };
  }

  /** One reconciliation pass now (also used by tests and the CLI). */
  reconcile(): Promise<ReconcileReport> {
    return this.reconciler.run();
  }

  private scheduleReconcile(delayMs: number): void {
    if (this.reconcileTimer) return;
    this.reconcileTimer = setTimeout(() => {
      this.reconcileTimer = null;
      this.reconciler.run().then((report) => {
        if (report.recheck) this.scheduleReconcile(1_000);
      }, (error: Error) => {
        // A failed broker answer is never read as "nothing there": try again shortly.
        this.options.logger.warn('reconciliation failed; retrying', { error: error.message });
        this.scheduleReconcile(1_000);
      });
    }, delayMs);
    this.reconcileTimer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopReconciling?.();
    if (this.breaksRefresh) clearInterval(this.breaksRefresh);
    if (this.foreignPoll) clearInterval(this.foreignPoll);
    if (this.reconcileTimer) clearTimeout(this.reconcileTimer);
    this.reconcileTimer = null;
    await this.closeWorker();
    await this.deadLettering?.idle();
    this.deadLettering?.detach();
    await this.dlq?.close();
    this.fillPublisher.flush();
    // Publications still retrying stay in the store's outbox: the next start publishes them.
    await withinMs(this.fillPublisher.idle(), 2_000);
    this.fillPublisher.close();
    await this.fills.close();
    await this.workerConnection?.quit().catch(() => this.workerConnection?.disconnect());
    await this.writes.quit().catch(() => this.writes.disconnect());
    await this.critical.quit().catch(() => this.critical.disconnect());
    this.router.close();
  }

  /**
   * Lets jobs in hand finish, within a bound: a job stuck on an unreachable Redis would hold the
   * stop forever. Forcing is safe because intake is idempotent: the job's lock lapses and it is
   * handed out again, and its clientOrderId decides whether it was already taken.
   */
  private async closeWorker(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    if ((await withinMs(worker.close(), 5_000)) === 'closed') return;
    // BullMQ keeps the first close() pending (close(true) returns that same promise): cut its connections.
    this.options.logger.warn('order worker did not close within 5 s (Redis unreachable?); disconnecting it; jobs in hand are handed out again');
    await withinMs(worker.disconnect(), 1_000);
    this.workerConnection?.disconnect();
  }

  /** One job: validated, deduplicated by clientOrderId, then handed to an order actor. */
  async process(job: Job, token?: string): Promise<IntakeResult> {
    const parsed = parseOrderJob(job.data);
    if (!parsed.ok) throw new InvalidPayloadError(parsed.errors);
    try {
      const refusal = this.options.fence?.sendRefusal() ?? null;
      if (refusal !== null) throw new FencedError(refusal);
      return await this.accept(parsed.job, job.id, job.data);
    } catch (error) {
      // Not this node's to take any more (it lost the lease): back to the queue, not a failure and
      // never a dead letter, for the active node to pick up.
      if (!(error instanceof FencedError) || token === undefined) throw error;
      await job.moveToDelayed(Date.now() + 250, token);
      throw new DelayedError();
    }
  }

  /**
   * The API client id each order was placed under, as sent or as the broker reported it. IB lets
   * a session cancel or modify only its own client id's orders: after a takeover on another client
   * id (the old session still held ours: 326), an adopted order may belong to someone else.
   */
  private readonly owners = new Map<string, number>();

  /** Why the order is another client id's (IB would refuse a cancel, 10147, and take a "modify" as a second order), or null. */
  private foreignOwner(clientOrderId: string): string | null {
    const owner = this.owners.get(clientOrderId);
    const current = this.options.connectionInfo?.().clientId;
    if (owner === undefined || current === undefined || owner === current) return null;
    return `placed under IB client id ${owner}; this session is client id ${current}, and IB lets a client modify only its own orders`;
  }

  /**
   * True when the order is another client id's: nothing is sent; a break is recorded on the
   * instrument instead, for an operator (TWS, or a restart once the id is free).
   */
  private refuseIfForeign(clientOrderId: string, what: 'cancel' | 'modify'): boolean {
    if (this.foreignOwner(clientOrderId) === null) return false;
    const owner = this.owners.get(clientOrderId);
    const current = this.options.connectionInfo?.().clientId;
    const symbol = this.live.get(clientOrderId)?.spec.symbol ?? 'unknown';
    const detail = `${what} of ${clientOrderId} not sent: it was placed under IB client id ${owner} and this session is client id ${current}; IB refuses cancels and modifies of another client's orders`;
    this.options.logger.error('reconciliation break: order of another client id', { orderId: clientOrderId, owner, clientId: current, request: what });
    this.breaks.record({ symbol, kind: 'foreign_client_order', detail, at: new Date().toISOString() }).catch((error: Error) =>
      this.options.logger.error('break not recorded', { orderId: clientOrderId, error: error.message }),
    );
    return true;
  }

  async accept(job: OrderJob, jobId?: string, payload?: unknown): Promise<IntakeResult> {
    if ((job.type === 'cancel' || job.type === 'modify') && this.refuseIfForeign(job.clientOrderId, job.type)) {
      return { outcome: 'foreignClientOrder', clientOrderId: job.clientOrderId };
    }
    if (job.type === 'cancel') {
      const delivery = sendToOrder(this.options.tree, job.clientOrderId, { type: 'CANCEL' });
      return { outcome: delivery === 'unknown' ? 'unknownOrder' : 'cancelRequested', clientOrderId: job.clientOrderId };
    }
    if (job.type === 'modify') {
      const { type: _type, clientOrderId, ...changes } = job;
      const delivery = this.options.tree.send(orderActorId(clientOrderId), { type: 'MODIFY', ...changes });
      return { outcome: delivery === 'unknown' ? 'unknownOrder' : 'modifyRequested', clientOrderId };
    }
    const spec = toSpec(job);
    const receivedAt = Date.now();
    const created = await this.store.create(spec, receivedAt);
    if (!created) {
      await this.adoptIfOrphaned(spec.clientOrderId, jobId, payload ?? job);
      return { outcome: 'duplicate', clientOrderId: spec.clientOrderId };
    }
    this.auditor.received(spec.clientOrderId, spec.account, jobId, payload ?? job);
    this.startActor(spec, receivedAt, 'fresh');
    return { outcome: 'accepted', clientOrderId: spec.clientOrderId };
  }

  /**
   * A duplicate job for an open order that has no actor in this process: our own creation whose
   * reply was lost (a connection killed mid-command is retried, and the retry finds the order),
   * or a job handed out again after the process that created the order died before starting it.
   * Its actor is started from the store, so the order cannot be left stranded in `received`.
   */
  private async adoptIfOrphaned(clientOrderId: string, jobId: string | undefined, payload: unknown): Promise<void> {
    if (this.live.has(clientOrderId)) return;
    const stored = await this.store.load(clientOrderId);
    if (!stored || this.store.isTerminal(stored.state) || this.live.has(clientOrderId)) return;
    this.options.logger.info('order found created but not running; starting it from the store', { orderId: clientOrderId });
    if (stored.state === 'received') this.auditor.received(clientOrderId, stored.spec.account, jobId, payload);
    this.startActor(stored.spec, stored.receivedAt, stored);
  }

  /**
   * Every incarnation gets its input from the start function: a new order's first one from the job
   * (it was just stored), every other one (a supervised restart, a process restart) from the store,
   * so a restart resumes from durable state and never replays the first input. `first` is the first
   * incarnation's source: the job just stored (`fresh`), or the stored order the caller just read.
   */
  private startActor(spec: OrderSpec, receivedAt: number, first: 'fresh' | StoredOrder): void {
    const clientOrderId = spec.clientOrderId;
    this.live.set(clientOrderId, { spec, receivedAt });
    this.options.tree.startChild(ORDERS_SUPERVISOR_ID, {
      id: orderActorId(clientOrderId),
      kind: 'order',
      logic: this.logic,
      eventSchema: orderEventSchema,
      start: ({ incarnation }) => {
        if (incarnation > 1) return this.restore(clientOrderId);
        return first === 'fresh' ? this.inputFor(spec, undefined, 0) : this.restoredInput(first);
      },
      restart: 'transient',
      shutdown: 'brutal',
    });
  }

  /** The deadline is absolute in the spec, so an order restored after a restart keeps it. */
  private inputFor(spec: OrderSpec, restored: Partial<OrderContext> | undefined, elapsedMs: number): OrderInput {
    const deadlineInMs = spec.deadlineAt !== undefined ? spec.deadlineAt - Date.now() : null;
    return {
      order: spec,
      timing: this.timing,
      deadlineInMs,
      tickSize: tickSizeFor(spec.symbol, this.options.tickSizes),
      elapsedMs,
      marginCheck: this.options.marginCheck !== undefined && spec.algorithm?.kind !== 'twap',
      ...(restored ? { restored } : {}),
    };
  }

  /**
   * An order's input from its durable state. Writes already issued go first (they share the
   * connection, in order), so what is read is the last state written. An order whose state
   * cannot be read waits for it (a Redis outage; a record lost with Redis is written again by
   * `recoverFromStateLoss`): it never starts from a guess.
   */
  private async restore(clientOrderId: string): Promise<OrderInput> {
    await new Promise((resolve) => setImmediate(resolve));
    for (let attempt = 1; ; attempt += 1) {
      // Stopping: this incarnation is never created (its supervisor drops the load when it stops).
      // Failing instead would be a restart loop until the tree stops.
      if (this.stopped) return new Promise<OrderInput>(() => {});
      try {
        const stored = await this.store.load(clientOrderId);
        if (!stored) throw new Error('order is not in the store');
        return this.restoredInput(stored);
      } catch (error) {
        if (attempt === 1) this.options.logger.warn('order state could not be read; waiting for it', { orderId: clientOrderId, error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** Math.min(attempt, 5))).unref());
      }
    }
  }

  private restoredInput(stored: StoredOrder): OrderInput {
    const { spec } = stored;
    const clientOrderId = spec.clientOrderId;
    const restored: Partial<OrderContext> = {
      ...(stored.context ?? {}),
      ibOrderId: stored.ibOrderId ?? stored.context?.ibOrderId ?? null,
      // The store's count is the truth: it is written before each placeOrder, the context after.
      sendAttempt: Math.max(stored.sendAttempt, stored.context?.sendAttempt ?? 0),
    };
    // A supervised restart keeps what was already published; a process restart starts from the store.
    if (!this.filledSoFar.has(clientOrderId)) this.filledSoFar.set(clientOrderId, restored.filledQuantity ?? 0);
    this.reserveRestored(spec, stored.state, restored);
    // A TWAP parent learns what its slices did meanwhile (held for it until it is running).
    for (const sliceId of Object.keys(restored.slices ?? {})) void this.slices.replay(clientOrderId, sliceId);
    return this.inputFor(spec, restored, Math.max(0, Date.now() - stored.receivedAt));
  }

  /** A restored order that had passed its checks counts against the limits again. */
  private reserveRestored(spec: OrderSpec, state: string, restored: Partial<OrderContext>): void {
    if (state === 'received' || state === 'validating' || this.store.isTerminal(state)) return;
    const filled = restored.filledQuantity ?? 0;
    const algorithm = spec.algorithm;
    const unissued =
      algorithm?.kind === 'twap' ? sliceQuantities(spec.quantity, algorithm.slices).slice(restored.slicesIssued ?? 0).reduce((n, q) => n + q, 0) : spec.quantity - filled;
    this.positions.reserve(spec.clientOrderId, spec, unissued);
  }

  private async recover(): Promise<void> {
    const open = await this.store.openOrderIds();
    // Read in one pipelined batch: a takeover restores every open order before it carries on.
    const loaded = await Promise.all(open.map((clientOrderId) => this.store.load(clientOrderId)));
    let restored = 0;
    for (const [index, clientOrderId] of open.entries()) {
      const stored = loaded[index];
      if (!stored || this.store.isTerminal(stored.state) || this.live.has(clientOrderId)) continue;
      this.startActor(stored.spec, stored.receivedAt, stored);
      restored += 1;
    }
    if (restored > 0) this.options.logger.info('open orders recovered', { count: restored });
  }

  /**
   * Redis lost its data (see the continuity check): every order this process holds is written
   * again from memory, send attempts included, so the at-most-one-live rule still holds; then the
   * broker is asked what it has. Intake stays halted until an operator resumes it.
   */
  async recoverFromStateLoss(): Promise<{ rewritten: number }> {
    let rewritten = 0;
    for (const [clientOrderId, { spec, receivedAt }] of this.live) {
      const snapshot = this.options.tree.get(orderActorId(clientOrderId))?.getSnapshot() as { status?: string; value?: unknown; context?: OrderContext } | undefined;
      const context = snapshot?.status === 'active' ? snapshot.context : this.store.lastSaved(clientOrderId);
      if (!context) continue;
      const state = snapshot?.status === 'active' && typeof snapshot.value === 'string' ? snapshot.value : 'inDoubt';
      await this.store.rewrite(spec, state, context, receivedAt);
      rewritten += 1;
    }
    this.options.logger.info('live orders written again after the Redis state loss', { rewritten });
    await this.reconciler.run();
    return { rewritten };
  }

  private onTransition(clientOrderId: string, state: string, context: OrderContext): void {
    this.auditor.transition(state, context);
    const before = this.filledSoFar.get(clientOrderId) ?? 0;
    const parentId = context.order.parentId;
    const isParent = context.order.algorithm?.kind === 'twap';
    if (context.filledQuantity > before) {
      const quantity = context.filledQuantity - before;
      this.filledSoFar.set(clientOrderId, context.filledQuantity);
      const added = newExecutions(context.fills, before);
      // Positions move with executions, which belong to the slices, not to the TWAP parent that sums them.
      if (!isParent) {
        const month = contractMonthOf(context.order.expiry);
        for (const e of added) this.positions.applyExecution(context.order.account, context.order.symbol, month, context.order.side, e.fill.execId, e.quantity);
      }
      if (parentId) this.slices.forward(parentId, clientOrderId, added.map((e) => e.fill));
      // The executions behind this publication, so consumers (the regulatory monitor) count each
      // once even when a TWAP parent and its slice both publish it.
      const executions = added.map((e) => ({ execId: e.fill.execId, quantity: e.quantity }));
      const fill = {
        clientOrderId,
        ...(parentId ? { parentClientOrderId: parentId } : {}),
        account: context.order.account,
        symbol: context.order.symbol,
        ...(context.order.expiry ? { expiry: context.order.expiry } : {}),
        executions,
        side: context.order.side,
        quantity,
        filledQuantity: context.filledQuantity,
        averagePrice: context.averagePrice,
        /** The order's commissions known so far (the queue's fill job carries this fill's own, see FillPublisher). */
        commissionSoFar: context.commission,
        at: new Date().toISOString(),
      };
      const jobId = fillJobId(clientOrderId, context.filledQuantity);
      // A strategy sees the order it sent: a TWAP's fills arrive as the parent's, the slices' only on the bus.
      if (!parentId) {
        const { commissionSoFar: _soFar, ...queued } = fill;
        this.fillPublisher.publish(jobId, queued, executions.map((e) => e.execId));
      }
      this.options.tree.services.bus.publish('order.fill', fill);
    }
    this.options.tree.services.bus.publish(`order.${state}`, { clientOrderId, state, filledQuantity: context.filledQuantity });
    // What may still fill (a confirmed modify changes the quantity); a TWAP parent's part is its unissued slices.
    if (!isParent) this.positions.updateWorking(clientOrderId, context.order.quantity - context.filledQuantity);
    if (this.store.isTerminal(state)) {
      this.positions.release(clientOrderId);
      if (parentId) this.slices.forward(parentId, clientOrderId, [], state);
      this.filledSoFar.delete(clientOrderId);
      this.live.delete(clientOrderId);
      this.router.retire(clientOrderId);
      this.options.logger.info('order finished', { orderId: clientOrderId, state, filled: context.filledQuantity, reason: context.rejectReason ?? undefined });
    }
  }
}

/** 'closed' when `work` settles within `ms`, else 'timeout' (the work goes on unobserved). */
async function withinMs(work: Promise<unknown>, ms: number): Promise<'closed' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  const outcome = await Promise.race([work.then(() => 'closed' as const, () => 'closed' as const), bound]);
  clearTimeout(timer);
  return outcome;
}

function toSpec(job: OrderJob): OrderSpec {
  const order = job as Extract<OrderJob, { clientOrderId: string; quantity: number }> & Record<string, any>;
  const instrument = order.instrument as { symbol?: string; expiry?: string; conId?: number };
  return {
    clientOrderId: order.clientOrderId,
    account: order.account,
    symbol: instrument.symbol ?? String(instrument.conId),
    ...(instrument.expiry ? { expiry: instrument.expiry } : {}),
    side: order.side,
    quantity: order.quantity,
    orderType: order.orderType,
    ...(order.limitPrice !== undefined ? { limitPrice: order.limitPrice } : {}),
    ...(order.stopPrice !== undefined ? { stopPrice: order.stopPrice } : {}),
    timeInForce: order.timeInForce ?? 'DAY',
    ...(order.algorithm ? { algorithm: order.algorithm } : {}),
    ...(order.deadline ? { deadlineAt: Date.parse(order.deadline) } : {}),
  };
}
