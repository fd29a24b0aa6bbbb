import type { Logger } from '../log/logger.ts';
import type { IbSession } from '../ib/session/ibSession.ts';
import type { SupervisionTree } from '../supervision/supervisionTree.ts';
import type { OrderContext, OrderInput, OrderSpec, OrderTiming } from '../machines/orders/orderTypes.ts';
import { sliceQuantities } from '../machines/orders/algorithms/twapSchedule.ts';
import type { QuoteSource } from '../machines/orders/algorithms/quotes.ts';
import { tickSizeFor } from '../instruments/defaultFutures.ts';
import { orderEventSchema } from './schema/orderEvents.ts';
import type { OrderStateMessage } from './schema/orderStateMessage.ts';
import { createOrderLogic } from './orderActor.ts';
import { ORDERS_SUPERVISOR_ID, orderActorId } from './orderActorIds.ts';
import type { ClientIdOwners } from './clientIdOwners.ts';
import type { FillAssembly } from './fillAssembly.ts';
import type { MarginCheckConfig } from './marginCheck.ts';
import type { OrderAuditor } from './orderAuditor.ts';
import type { OrderFaultHooks } from './orderFaultHooks.ts';
import type { OrderRouter } from './orderRouter.ts';
import type { OrderStore, StoredOrder } from './orderStore.ts';
import type { PositionBook } from './positionBook.ts';
import type { PreTradeContext } from './preTradeChecks.ts';
import { TwapSlices } from './twapSlices.ts';
import { priceText } from '../shared/priceText.ts';
import type { OrderMeter } from './orderMetrics.ts';
import { orderTracing } from '../tracing/index.ts';

export interface LiveOrdersDeps {
  tree: SupervisionTree;
  session: IbSession;
  store: OrderStore;
  router: OrderRouter;
  positions: PositionBook;
  preTrade: PreTradeContext;
  owners: ClientIdOwners;
  auditor: OrderAuditor;
  fills: FillAssembly;
  logger: Logger;
  timing: OrderTiming;
  exchanges: Readonly<Record<string, string>>;
  tickSizes: Readonly<Record<string, number>> | undefined;
  quotes: QuoteSource;
  marginCheck: MarginCheckConfig | undefined;
  faultHooks: OrderFaultHooks | undefined;
  meter: OrderMeter;
}

/**
 * The order actors of this process: each order is started under the `orders` supervisor, fresh
 * from its job or from its durable state, and its written transitions go on to the audit trail,
 * the fill assembly and the event bus. TWAP slices are orders started here too.
 */
export class LiveOrders {
  /** Orders with an actor in this process (running or being restored), with when each was received. */
  private readonly live = new Map<string, { spec: OrderSpec; receivedAt: number }>();
  private readonly logic: ReturnType<typeof createOrderLogic>;
  private readonly slices: TwapSlices;
  private stopped = false;

  constructor(private readonly deps: LiveOrdersDeps) {
    const { auditor, owners } = deps;
    this.slices = new TwapSlices({
      tree: deps.tree,
      store: deps.store,
      startSlice: (spec, index) => {
        auditor.received(spec.clientOrderId, spec.account, undefined, { parent: spec.parentId, slice: index + 1, quantity: spec.quantity });
        this.start(spec, Date.now(), 'fresh');
      },
      adoptIfOrphaned: (clientOrderId) => this.adoptIfOrphaned(clientOrderId, undefined, undefined),
    });
    this.logic = createOrderLogic({
      session: deps.session,
      router: deps.router,
      store: deps.store,
      logger: deps.logger,
      preTrade: deps.preTrade,
      exchanges: deps.exchanges,
      quotes: deps.quotes,
      ...(deps.marginCheck ? { marginCheck: deps.marginCheck } : {}),
      ...(deps.faultHooks ? { faultHooks: deps.faultHooks } : {}),
      placementWritten: (clientOrderId) => {
        deps.meter.placementWritten(clientOrderId);
        orderTracing()?.placementWritten(clientOrderId);
      },
      onModifyRefused: (context, changes, reasons) => {
        deps.meter.modifyRefused(reasons);
        const clientOrderId = context.order.clientOrderId;
        if (owners.foreignOwner(clientOrderId) !== null) owners.refuseIfForeign(clientOrderId, 'modify', this.symbolOf(clientOrderId));
        auditor.modifyRefused(context, changes, reasons);
      },
      issueSlice: (parent, index, quantity) => {
        this.slices.issue(parent, index, quantity).catch((error: Error) =>
          deps.logger.error('TWAP slice not issued', { orderId: parent.clientOrderId, slice: index + 1, error: error.message }),
        );
      },
      cancelSlices: (parent, slices) => this.slices.cancel(parent, slices),
      onTransition: (clientOrderId, state, context) => this.transitioned(clientOrderId, state, context),
      onSent: (context, ibOrderId) => {
        const { clientId, gateway } = owners.current();
        owners.placedUnder(context.order.clientOrderId, clientId);
        auditor.sent(context, ibOrderId, clientId, gateway);
      },
      foreignOrder: (clientOrderId) => owners.foreignOwner(clientOrderId),
      onFound: (clientOrderId, clientId) => {
        if (clientId !== null) owners.placedUnder(clientOrderId, clientId);
      },
    });
  }

  get size(): number {
    return this.live.size;
  }

  has(clientOrderId: string): boolean {
    return this.live.has(clientOrderId);
  }

  ids(): IterableIterator<string> {
    return this.live.keys();
  }

  entries(): IterableIterator<[string, { spec: OrderSpec; receivedAt: number }]> {
    return this.live.entries();
  }

  symbolOf(clientOrderId: string): string | undefined {
    return this.live.get(clientOrderId)?.spec.symbol;
  }

  /** A new order, just created in the store. */
  startFresh(spec: OrderSpec, receivedAt: number): void {
    orderTracing()?.orderStarted(spec);
    this.start(spec, receivedAt, 'fresh');
  }

  /** An open order read from the store (after a restart or a takeover). */
  startStored(stored: StoredOrder): void {
    this.start(stored.spec, stored.receivedAt, stored);
  }

  /**
   * A duplicate job for an open order that has no actor in this process: our own creation whose
   * reply was lost (a connection killed mid-command is retried, and the retry finds the order),
   * or a job handed out again after the process that created the order died before starting it.
   * Its actor is started from the store, so the order cannot be left stranded in `received`.
   */
  async adoptIfOrphaned(clientOrderId: string, jobId: string | undefined, payload: unknown): Promise<void> {
    if (this.live.has(clientOrderId)) return;
    const { store, logger, auditor } = this.deps;
    const stored = await store.load(clientOrderId);
    if (!stored || store.isTerminal(stored.state) || this.live.has(clientOrderId)) return;
    logger.info('order found created but not running; starting it from the store', { orderId: clientOrderId });
    if (stored.state === 'received') auditor.received(clientOrderId, stored.spec.account, jobId, payload);
    this.startStored(stored);
  }

  /** A stopping process creates no more incarnations (restores waiting for Redis wait forever). */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Every incarnation gets its input from the start function: a new order's first one from the job
   * (it was just stored), every other one (a supervised restart, a process restart) from the store,
   * so a restart resumes from durable state and never replays the first input. `first` is the first
   * incarnation's source: the job just stored (`fresh`), or the stored order the caller just read.
   */
  private start(spec: OrderSpec, receivedAt: number, first: 'fresh' | StoredOrder): void {
    const clientOrderId = spec.clientOrderId;
    this.live.set(clientOrderId, { spec, receivedAt });
    this.deps.tree.startChild(ORDERS_SUPERVISOR_ID, {
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
      timing: this.deps.timing,
      deadlineInMs,
      tickSize: tickSizeFor(spec.symbol, this.deps.tickSizes),
      elapsedMs,
      marginCheck: this.deps.marginCheck !== undefined && spec.algorithm?.kind !== 'twap',
      ...(restored ? { restored } : {}),
    };
  }

  /**
   * An order's input from its durable state. Writes already issued go first (they share the
   * connection, in order), so what is read is the last state written. An order whose state
   * cannot be read waits for it (a Redis outage; a record lost with Redis is written again by
   * `OrderRecovery.recoverFromStateLoss`): it never starts from a guess.
   */
  private async restore(clientOrderId: string): Promise<OrderInput> {
    await new Promise((resolve) => setImmediate(resolve));
    for (let attempt = 1; ; attempt += 1) {
      // Stopping: this incarnation is never created (its supervisor drops the load when it stops).
      // Failing instead would be a restart loop until the tree stops.
      if (this.stopped) return new Promise<OrderInput>(() => {});
      try {
        const stored = await this.deps.store.load(clientOrderId);
        if (!stored) throw new Error('order is not in the store');
        return this.restoredInput(stored);
      } catch (error) {
        if (attempt === 1) this.deps.logger.warn('order state could not be read; waiting for it', { orderId: clientOrderId, error: (error as Error).message });
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
    this.deps.fills.resumeFrom(clientOrderId, restored.filledQuantity ?? 0);
    this.reserveRestored(spec, stored.state, restored);
    // A TWAP parent learns what its slices did meanwhile (held for it until it is running).
    for (const sliceId of Object.keys(restored.slices ?? {})) void this.slices.replay(clientOrderId, sliceId);
    return this.inputFor(spec, restored, Math.max(0, Date.now() - stored.receivedAt));
  }

  /** A restored order that had passed its checks counts against the limits again. */
  private reserveRestored(spec: OrderSpec, state: string, restored: Partial<OrderContext>): void {
    if (state === 'received' || state === 'validating' || this.deps.store.isTerminal(state)) return;
    const filled = restored.filledQuantity ?? 0;
    const algorithm = spec.algorithm;
    const unissued =
      algorithm?.kind === 'twap' ? sliceQuantities(spec.quantity, algorithm.slices).slice(restored.slicesIssued ?? 0).reduce((n, q) => n + q, 0) : spec.quantity - filled;
    this.deps.positions.reserve(spec.clientOrderId, spec, unissued);
  }

  /** A written transition: audited, its fills assembled, announced on the bus; a finished order leaves. */
  private transitioned(clientOrderId: string, state: string, context: OrderContext): void {
    const { auditor, fills, tree, store, router, logger } = this.deps;
    auditor.transition(state, context);
    const finished = store.isTerminal(state);
    this.deps.meter.transitioned(clientOrderId, state, context, finished);
    orderTracing()?.transitioned(clientOrderId, state, context, finished);
    const added = fills.transitioned(clientOrderId, context, finished);
    const parentId = context.order.parentId;
    if (parentId && added.length > 0) this.slices.forward(parentId, clientOrderId, added);
    const message: OrderStateMessage = { clientOrderId, state, filledQuantity: context.filledQuantity, averagePrice: context.averagePrice, at: new Date().toISOString() };
    tree.services.bus.publish(`order.${state}`, message);
    if (finished) {
      if (parentId) this.slices.forward(parentId, clientOrderId, [], state);
      this.live.delete(clientOrderId);
      router.retire(clientOrderId);
      const averagePrice = context.averagePrice === null ? undefined : priceText(context.averagePrice, tickSizeFor(context.order.symbol, this.deps.tickSizes));
      logger.info('order finished', { orderId: clientOrderId, state, filled: context.filledQuantity, averagePrice, reason: context.rejectReason ?? undefined });
    }
  }
}
