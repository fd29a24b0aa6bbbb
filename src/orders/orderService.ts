import { Queue, Worker, type Job } from 'bullmq';
import { Redis as IORedis, type Redis } from 'ioredis';
import type { Logger } from '../log/logger';
import type { IbSession } from '../ib/session/ibSession';
import type { SupervisionTree } from '../supervision/supervisionTree';
import type { OrderContext, OrderSpec, OrderTiming } from '../machines/order/orderTypes';
import type { QuoteSource } from '../machines/order/algorithms/quotes';
import { DEFAULT_EXCHANGES, tickSizeFor } from './defaultFutures';
import type { MarginCheckConfig } from './marginCheck';
import { createOrderLogic, futuresContract } from '../actors/orders/orderActor';
import { attachDeadLettering, DeadLetterQueue, InvalidPayloadError, type DeadLettering } from '../queues';
import { ORDER_QUEUE_NAME, parseOrderJob, type OrderJob } from './schema';
import { OrderRouter } from './orderRouter';
import { FillPublisher } from './fillPublisher';
import { newExecutions } from './newExecutions';
import { TwapSlices, orderActorId, sendToOrder } from './twapSlices';
import { OrderStore } from './orderStore';
import { PositionBook } from './positionBook';
import { DEFAULT_PRE_TRADE_LIMITS, type PreTradeLimits } from './preTradeChecks';
import { OrderAuditTrail } from '../audit';
import { OrderAuditor } from './orderAuditor';
import { BreakRegistry } from './breakRegistry';
import { Reconciler, type ReconcileReport } from './reconciler';

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
  /** BullMQ key prefix (tests isolate themselves with their own). */
  prefix?: string;
  storePrefix?: string;
  /** Redis stream of the order audit trail (default tradewire:audit:orders). */
  auditKey?: string;
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
}

const NO_QUOTES: QuoteSource = { touch: () => null };


export type IntakeResult = { outcome: 'accepted' | 'duplicate' | 'cancelRequested' | 'modifyRequested' | 'unknownOrder'; clientOrderId: string };


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
  private readonly router: OrderRouter;
  private readonly fills: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;
  private deadLettering: DeadLettering | null = null;
  private dlq: DeadLetterQueue | null = null;
  private readonly logic: ReturnType<typeof createOrderLogic>;
  private readonly timing: OrderTiming;
  private readonly filledSoFar = new Map<string, number>();
  /** Orders with a running actor in this process. */
  private readonly live = new Set<string>();
  readonly audit: OrderAuditTrail;
  private readonly writes: IORedis;
  /** Creation: the write an order waits on before it can be sent. */
  private readonly critical: IORedis;
  private readonly auditor: OrderAuditor;
  private readonly fillPublisher: FillPublisher;
  private readonly slices: TwapSlices;

  constructor(private readonly options: OrderServiceOptions) {
    // Every order writes several small commands per transition: auto-pipelining sends those issued
    // in the same tick as one socket write instead of one write each.
    this.writes = new IORedis(options.redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 3 });
    this.writes.on('error', (error: Error) => options.logger.debug('order store redis error', { error: error.message }));
    this.critical = new IORedis(options.redisUrl, { maxRetriesPerRequest: 3 });
    this.critical.on('error', (error: Error) => options.logger.debug('order store redis error', { error: error.message }));
    this.store = new OrderStore(this.writes, options.storePrefix, this.critical);
    this.breaks = new BreakRegistry(this.writes, `${options.storePrefix ?? 'tradewire:orders'}:breaks`);
    this.audit = new OrderAuditTrail(this.writes, options.auditKey ? { key: options.auditKey } : {});
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
        this.startActor(spec, undefined, 0);
      },
    });
    this.fills = new Queue(FILLS_QUEUE_NAME, { connection: this.writes, ...(options.prefix ? { prefix: options.prefix } : {}) });
    const contractFor = futuresContract({ ...DEFAULT_EXCHANGES, ...options.exchanges });
    this.logic = createOrderLogic({
      session: options.session,
      router: this.router,
      store: this.store,
      logger: options.logger,
      preTrade: { limits: options.limits ?? DEFAULT_PRE_TRADE_LIMITS, positions: this.positions, lockedInstruments: this.breaks.lockedInstruments, quotes: options.quotes ?? NO_QUOTES },
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
        this.auditor.sent(context, ibOrderId, info.clientId, info.gateway);
      },
    });
    this.reconciler = new Reconciler({
      session: options.session,
      store: this.store,
      positions: this.positions,
      breaks: this.breaks,
      deliver: (clientOrderId, event) => options.tree.send(orderActorId(clientOrderId), event),
      logger: options.logger,
    });
    this.fillPublisher = new FillPublisher(this.fills, options.commissionWaitMs ?? 250, options.logger);
    this.router.onCommission = (execId, commission) => void this.fillPublisher.commission(execId, commission);
    this.router.onLateCommission = (clientOrderId, execId, commission) => {
      // Usually it rides in its fill's job (published a moment after the order finished); only if no fill takes it is it published alone.
      this.fillPublisher.unclaimed(execId, () => this.publishCommission(clientOrderId, execId, commission));
    };
  }

  /** Brings back open orders, then starts taking jobs; reconciles now and on every reconnect. */
  async start(): Promise<void> {
    await this.breaks.refresh();
    await this.recover();
    this.scheduleReconcile(0);
    this.stopReconciling = this.options.session.onReadiness((ready) => {
      if (!ready) return;
      this.scheduleReconcile(0);
      // Orders held while IB was out of reach go now; the others ignore it.
      for (const clientOrderId of this.live) sendToOrder(this.options.tree, clientOrderId, { type: 'connection.ready' });
    });
    // Breaks are cleared from the CLI (another process): pick that up without a round trip per order.
    this.breaksRefresh = setInterval(() => {
      this.breaks.refresh().catch(() => undefined);
    }, 2_000);
    this.breaksRefresh.unref();
    const { redisUrl, prefix, logger } = this.options;
    const { Redis } = await import('ioredis');
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection = connection;
    this.worker = new Worker(ORDER_QUEUE_NAME, (job) => this.process(job), {
      connection,
      concurrency: this.options.concurrency ?? 50,
      lockDuration: this.options.queueLockMs ?? 30_000,
      // Intake is idempotent (the store's create is the check), so a job whose process died can be
      // handed out again as often as processes die; BullMQ's default (1) would fail it instead.
      maxStalledCount: 1_000,
      stalledInterval: this.options.queueLockMs ?? 30_000,
      ...(prefix ? { prefix } : {}),
    });
    this.worker.on('error', (error) => logger.error('orders worker error', { error: error.message }));
    this.dlq = new DeadLetterQueue(ORDER_QUEUE_NAME, { connection: this.options.redis, logger, ...(prefix ? { prefix } : {}) });
    this.deadLettering = attachDeadLettering(this.worker, this.dlq, { logger });
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
    this.stopReconciling?.();
    if (this.breaksRefresh) clearInterval(this.breaksRefresh);
    if (this.reconcileTimer) clearTimeout(this.reconcileTimer);
    this.reconcileTimer = null;
    await this.worker?.close();
    await this.deadLettering?.idle();
    this.deadLettering?.detach();
    await this.dlq?.close();
    this.fillPublisher.flush();
    await this.fills.close();
    await this.workerConnection?.quit().catch(() => this.workerConnection?.disconnect());
    await this.writes.quit().catch(() => this.writes.disconnect());
    await this.critical.quit().catch(() => this.critical.disconnect());
    this.router.close();
  }

  /** One job: validated, deduplicated by clientOrderId, then handed to an order actor. */
  async process(job: Job): Promise<IntakeResult> {
    const parsed = parseOrderJob(job.data);
    if (!parsed.ok) throw new InvalidPayloadError(parsed.errors);
    return this.accept(parsed.job, job.id, job.data);
  }

  async accept(job: OrderJob, jobId?: string, payload?: unknown): Promise<IntakeResult> {
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
    const created = await this.store.create(spec, Date.now());
    if (!created) return { outcome: 'duplicate', clientOrderId: spec.clientOrderId };
    this.auditor.received(spec.clientOrderId, spec.account, jobId, payload ?? job);
    this.startActor(spec, undefined, 0);
    return { outcome: 'accepted', clientOrderId: spec.clientOrderId };
  }

  /** The deadline is absolute in the spec, so an order restored after a restart keeps it. */
  private startActor(spec: OrderSpec, restored: Partial<OrderContext> | undefined, elapsedMs: number): void {
    const deadlineInMs = spec.deadlineAt !== undefined ? spec.deadlineAt - Date.now() : null;
    this.live.add(spec.clientOrderId);
    this.options.tree.startChild(ORDERS_SUPERVISOR_ID, {
      id: orderActorId(spec.clientOrderId),
      kind: 'order',
      logic: this.logic,
      input: { order: spec, timing: this.timing, deadlineInMs, tickSize: tickSizeFor(spec.symbol, this.options.tickSizes), elapsedMs, marginCheck: this.options.marginCheck !== undefined && spec.algorithm?.kind !== 'twap', ...(restored ? { restored } : {}) },
      restart: 'transient',
      shutdown: 'brutal',
    });
  }

  private async recover(): Promise<void> {
    const open = await this.store.openOrderIds();
    for (const clientOrderId of open) {
      const stored = await this.store.load(clientOrderId);
      if (!stored || this.store.isTerminal(stored.state)) continue;
      const restored: Partial<OrderContext> = { ...(stored.context ?? {}), ibOrderId: stored.ibOrderId ?? stored.context?.ibOrderId ?? null };
      this.filledSoFar.set(clientOrderId, restored.filledQuantity ?? 0);
      this.startActor(stored.spec, restored, Math.max(0, Date.now() - stored.receivedAt));
      // A TWAP parent learns what its slices did while it was down (some may have ended since).
      for (const sliceId of Object.keys(restored.slices ?? {})) await this.slices.replay(clientOrderId, sliceId);
    }
    if (open.length > 0) this.options.logger.info('open orders recovered', { count: open.length });
  }

  private onTransition(clientOrderId: string, state: string, context: OrderContext): void {
    this.auditor.transition(state, context);
    const before = this.filledSoFar.get(clientOrderId) ?? 0;
    const parentId = context.order.parentId;
    const isParent = context.order.algorithm?.kind === 'twap';
    if (context.filledQuantity > before) {
      const quantity = context.filledQuantity - before;
      this.filledSoFar.set(clientOrderId, context.filledQuantity);
      // Positions move with executions, which belong to the slices, not to the TWAP parent that sums them.
      if (!isParent) this.positions.applyFill(context.order.account, context.order.symbol, context.order.side, quantity);
      const added = newExecutions(context.fills, before);
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
      // Deterministic id: the same fill published twice (a replay after restart) is one job. BullMQ ids cannot hold ':'.
      const jobId = `fill.${Buffer.from(clientOrderId).toString('base64url')}.${context.filledQuantity}`;
      // A strategy sees the order it sent: a TWAP's fills arrive as the parent's, the slices' only on the bus.
      if (!parentId) {
        const { commissionSoFar: _soFar, ...queued } = fill;
        this.fillPublisher.publish(jobId, queued, executions.map((e) => e.execId));
      }
      this.options.tree.services.bus.publish('order.fill', fill);
    }
    this.options.tree.services.bus.publish(`order.${state}`, { clientOrderId, state, filledQuantity: context.filledQuantity });
    if (this.store.isTerminal(state)) {
      if (parentId) this.slices.forward(parentId, clientOrderId, [], state);
      this.filledSoFar.delete(clientOrderId);
      this.live.delete(clientOrderId);
      this.router.retire(clientOrderId);
      this.options.logger.info('order finished', { orderId: clientOrderId, state, filled: context.filledQuantity, reason: context.rejectReason ?? undefined });
    }
  }
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
