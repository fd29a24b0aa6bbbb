import { OrderAction, OrderType, SecType, TimeInForce, type Contract, type Order } from '@stoqey/ib';
import { enqueueActions, fromCallback, fromPromise } from 'xstate';
import type { Logger } from '../../log/logger.ts';
import type { IbSession } from '../../ib/session/ibSession.ts';
import { createOrderMachine } from '../../machines/orders/orderMachine.ts';
import type { OrderChanges, OrderContext, OrderEvent, OrderSpec, SubmitOutcome } from '../../machines/orders/orderTypes.ts';
import type { OrderRouter } from '../../orders/orderRouter.ts';
import type { OrderStore } from '../../orders/orderStore.ts';
import { preTradeChecks, type PreTradeContext } from '../../orders/preTradeChecks.ts';
import { TransitionWriter } from '../../orders/transitionWriter.ts';
import { createLimitChaseMachine } from '../../machines/orders/algorithms/limitChaseMachine.ts';
import { twapMachine } from '../../machines/orders/algorithms/twapMachine.ts';
import type { QuoteSource, Touch } from '../../machines/orders/algorithms/quotes.ts';
import { judgeMargin, type MarginCheckConfig, type MarginVerdict } from '../../orders/marginCheck.ts';
import type { OrderFaultHooks } from '../../orders/orderFaultHooks.ts';
import { PlacementsInFlight } from '../../orders/placementsInFlight.ts';

export interface OrderActorDeps {
  session: IbSession;
  router: OrderRouter;
  store: OrderStore;
  preTrade: PreTradeContext;
  logger: Logger;
  contractFor(order: OrderSpec): Contract;
  /** Every transition, after it is written: audit trail, fills queue, event bus. */
  onTransition?(clientOrderId: string, state: string, context: OrderContext): void;
  /** The moment the order is handed to the connection (the audit trail's time sent). */
  onSent?(context: OrderContext, ibOrderId: number): void;
  /** A lookup found the order at the broker, placed by this API client id (null: not said). */
  onFound?(clientOrderId: string, clientId: number | null): void;
  /** Why this order may not be modified from this session (it belongs to another IB client id), or null. */
  foreignOrder?(clientOrderId: string): string | null;
  /** The whatIf margin check's limits (when orders are started with `marginCheck`). */
  marginCheck?: MarginCheckConfig;
  /** Prices for limit-chase (and the collar, through preTrade). */
  quotes: QuoteSource;
  /** A TWAP parent's slice, to be started as a child order (idempotent by its clientOrderId). */
  issueSlice(parent: OrderSpec, index: number, quantity: number): void;
  /** Ask the given slices (child orders) to cancel. */
  cancelSlices(parent: OrderSpec, slices: string[]): void;
  /** A modify the pre-trade checks refused (recorded in the order's history). */
  onModifyRefused?(context: OrderContext, changes: OrderChanges, reasons: string[]): void;
  /** Test-only: an armed order's next action throws (the chaos run's actor crash). */
  faultHooks?: OrderFaultHooks;
}

export function futuresContract(exchanges: Record<string, string>) {
  return (order: OrderSpec): Contract => ({
    symbol: order.symbol,
    secType: SecType.FUT,
    exchange: exchanges[order.symbol] ?? '',
    currency: 'USD',
    ...(order.expiry ? { lastTradeDateOrContractMonth: order.expiry } : {}),
  });
}

/** The IB order: orderRef carries the clientOrderId so the broker itself can say whose it is. */
export function ibOrderFor(order: OrderSpec): Order {
  return {
    action: order.side === 'BUY' ? OrderAction.BUY : OrderAction.SELL,
    totalQuantity: order.quantity,
    orderType: order.orderType as OrderType,
    ...(order.limitPrice !== undefined ? { lmtPrice: order.limitPrice } : {}),
    ...(order.stopPrice !== undefined ? { auxPrice: order.stopPrice } : {}),
    tif: order.timeInForce as TimeInForce,
    orderRef: order.clientOrderId,
    account: order.account,
    transmit: true,
  };
}

/** The order machine with its I/O: IB session, durable store, router, pre-trade checks. */
export function createOrderLogic(deps: OrderActorDeps) {
  const { session, router, store, logger } = deps;
  const writer = new TransitionWriter(
    store,
    (clientOrderId, state, context) => deps.onTransition?.(clientOrderId, state, context),
    (clientOrderId, state, error) => logger.error('order state not saved', { orderId: clientOrderId, state, error: error.message }),
  );
  // Per process, not per incarnation: a restarted order must still see its predecessor's bytes waiting.
  const placements = new PlacementsInFlight();
  const modifyChecks = (context: OrderContext, changes: OrderChanges) => {
    // A placeOrder under our client id with another client's order id would be a second order, not a modify.
    const foreign = deps.foreignOrder?.(context.order.clientOrderId) ?? null;
    if (foreign !== null) return { ok: false as const, reasons: [foreign] };
    return preTradeChecks({ ...context.order, ...changes }, deps.preTrade, { replacing: context.order.clientOrderId, filled: context.filledQuantity });
  };
  return createOrderMachine({
    chase: createLimitChaseMachine({
      readTouch: fromPromise<Touch | null, string>(async ({ input }) => deps.quotes.touch(input)),
    }),
    twap: twapMachine,
    marginCheck: fromPromise<MarginVerdict, OrderContext>(async ({ input }) =>
      judgeMargin(await session.whatIf(deps.contractFor(input.order), ibOrderFor(input.order)), deps.marginCheck ?? { maxInitMarginChange: null }),
    ),
    submit: fromPromise<SubmitOutcome, OrderContext>(async ({ input, signal }) => {
      const clientOrderId = input.order.clientOrderId;
      const ibOrderId = await session.orderIds.allocate();
      // The one awaited write before the bytes leave: the store allows this attempt only if no
      // earlier one may still be live, so no path can put a second live order at the broker.
      const verdict = await store.recordSendAttempt(clientOrderId, ibOrderId, input.absentAttempt);
      if (!verdict.ok) {
        logger.warn('send refused by the store; looking the order up first', { orderId: clientOrderId, reason: verdict.reason, attempt: verdict.reason === 'live' ? verdict.attempt : undefined });
        return { sent: false, attempt: verdict.reason === 'live' ? verdict.attempt : input.sendAttempt };
      }
      // This incarnation was stopped meanwhile: the attempt is recorded, so the next one looks it up.
      if (signal.aborted) return { sent: false, attempt: verdict.attempt };
      router.register(ibOrderId, clientOrderId);
      const contract = deps.contractFor(input.order);
      const order = ibOrderFor(input.order);
      placements.queued(clientOrderId);
      session.enqueueOrderMessage(
        'order',
        (api) => {
          api.placeOrder(ibOrderId, contract, order);
          placements.written(clientOrderId);
        },
        // Refused by the lease: it never left, so a lookup may say "not found" truthfully.
        () => placements.written(clientOrderId),
      );
      deps.onSent?.(input, ibOrderId);
      return { sent: true, ibOrderId, attempt: verdict.attempt };
    }),
    modify: fromPromise<void, OrderContext>(async ({ input }) => {
      const ibOrderId = input.ibOrderId;
      if (ibOrderId === null || !input.pendingModify) return;
      const contract = deps.contractFor(input.order);
      const order = ibOrderFor({ ...input.order, ...input.pendingModify });
      session.enqueueOrderMessage('order', (api) => api.placeOrder(ibOrderId, contract, order));
    }),
    cancel: fromPromise<void, OrderContext>(async ({ input }) => {
      const ibOrderId = input.ibOrderId;
      if (ibOrderId !== null) session.enqueueOrderMessage('cancel', (api) => api.cancelOrder(ibOrderId));
    }),
    lookup: fromCallback<OrderEvent, OrderContext>(({ input, sendBack }) => {
      const clientOrderId = input.order.clientOrderId;
      // A placeOrder of ours still waiting to leave would make "not found" a lie: ask again later.
      if (placements.waiting(clientOrderId)) return;
      session.lookupOrder(clientOrderId).then(
        (found) => {
          if (!found) {
            if (!placements.waiting(clientOrderId)) sendBack({ type: 'reconcile.notFound' });
            return;
          }
          router.register(found.ibOrderId, clientOrderId);
          deps.onFound?.(clientOrderId, found.clientId);
          sendBack({ type: 'reconcile.found', ibOrderId: found.ibOrderId, status: found.status, filledQuantity: found.fills.reduce((n, f) => n + f.quantity, 0), fills: found.fills });
        },
        // A lookup that failed is never read as "not found": the order stays in doubt and is asked again.
        (error: Error) => logger.warn('order lookup failed; still in doubt', { orderId: clientOrderId, error: error.message }),
      );
    }),
  }).provide({
    guards: {
      canSendOrders: () => session.canSendOrders,
      modifyAllowed: ({ context, event }) =>
        event.type === 'MODIFY' && (event.quantity === undefined || event.quantity > context.filledQuantity) && modifyChecks(context, changesOf(event)).ok,
    },
    actions: {
      // Only a refusal changes the context: a passing order keeps its context object (the store then skips re-serialising it).
      runChecks: enqueueActions(({ context, enqueue }) => {
        const { order } = context;
        const positions = deps.preTrade.positions;
        const remaining = order.quantity - context.filledQuantity;
        // Checked again (back from doubt): its own reservation is replaced, not added to.
        const again = positions.isWorking(order.clientOrderId);
        // A slice's quantity is already reserved by its TWAP parent: hand it over first, so it is not counted twice.
        const handOver = !again && order.parentId !== undefined;
        if (handOver) positions.adjustWorking(order.parentId!, -remaining);
        const result = preTradeChecks(order, deps.preTrade, again ? { replacing: order.clientOrderId, filled: context.filledQuantity } : { filled: context.filledQuantity });
        if (!result.ok) {
          if (handOver) positions.adjustWorking(order.parentId!, remaining);
          positions.release(order.clientOrderId);
          return enqueue.assign({ checkFailures: result.reasons });
        }
        // Passing, it counts against the position limits at once (orders checked next see it).
        positions.reserve(order.clientOrderId, order, remaining);
      }),
      refuseModify: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'MODIFY') return;
        const changes = changesOf(event);
        const checked = modifyChecks(context, changes);
        const reasons = [
          ...(event.quantity !== undefined && event.quantity <= context.filledQuantity ? [`quantity ${event.quantity} is not above the ${context.filledQuantity} already filled`] : []),
          ...(checked.ok ? [] : checked.reasons),
        ];
        enqueue.assign({ modifyRefusal: reasons.join('; ') });
        deps.onModifyRefused?.(context, changes, reasons);
        logger.info('modify refused; the working order is unchanged', { orderId: context.order.clientOrderId, reasons });
      }),
      issueSlice: ({ context }, params: { index: number; quantity: number }) => deps.issueSlice(context.order, params.index, params.quantity),
      cancelSlices: ({ context }, params: { slices: string[] }) => deps.cancelSlices(context.order, params.slices),
      persist: ({ context }, params: { state: string }) => {
        const clientOrderId = context.order.clientOrderId;
        if (deps.faultHooks?.takeCrash(clientOrderId)) throw new Error(`injected fault: order actor ${clientOrderId} crashed (testing.faultHooks)`);
        // At once, not after the write: the broker's last echoes for a finished order are expected.
        if (store.isTerminal(params.state)) router.retire(clientOrderId);
        writer.persist(clientOrderId, params.state, context);
      },
    },
  });
}

function changesOf(event: Extract<OrderEvent, { type: 'MODIFY' }>): OrderChanges {
  const { quantity, limitPrice, stopPrice } = event;
  return { ...(quantity !== undefined ? { quantity } : {}), ...(limitPrice !== undefined ? { limitPrice } : {}), ...(stopPrice !== undefined ? { stopPrice } : {}) };
}
