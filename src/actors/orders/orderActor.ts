import { OrderAction, OrderType, SecType, TimeInForce, type Contract, type Order } from '@stoqey/ib';
import { enqueueActions, fromCallback, fromPromise } from 'xstate';
import type { Logger } from '../../log/logger';
import type { IbSession } from '../../ib/session/ibSession';
import { createOrderMachine } from '../../machines/order/orderMachine';
import type { OrderContext, OrderEvent, OrderSpec } from '../../machines/order/orderTypes';
import type { OrderRouter } from '../../orders/orderRouter';
import type { OrderStore } from '../../orders/orderStore';
import { preTradeChecks, type PreTradeContext } from '../../orders/preTradeChecks';
import { TransitionWriter } from '../../orders/transitionWriter';
import { createLimitChaseMachine } from '../../machines/order/algorithms/limitChaseMachine';
import { twapMachine } from '../../machines/order/algorithms/twapMachine';
import type { QuoteSource, Touch } from '../../machines/order/algorithms/quotes';
import { judgeMargin, type MarginCheckConfig, type MarginVerdict } from '../../orders/marginCheck';

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
  /** The whatIf margin check's limits (when orders are started with `marginCheck`). */
  marginCheck?: MarginCheckConfig;
  /** Prices for limit-chase (and the collar, through preTrade). */
  quotes: QuoteSource;
  /** A TWAP parent's slice, to be started as a child order (idempotent by its clientOrderId). */
  issueSlice(parent: OrderSpec, index: number, quantity: number): void;
  /** Ask the given slices (child orders) to cancel. */
  cancelSlices(parent: OrderSpec, slices: string[]): void;
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
  return createOrderMachine({
    chase: createLimitChaseMachine({
      readTouch: fromPromise<Touch | null, string>(async ({ input }) => deps.quotes.touch(input)),
    }),
    twap: twapMachine,
    marginCheck: fromPromise<MarginVerdict, OrderContext>(async ({ input }) =>
      judgeMargin(await session.whatIf(deps.contractFor(input.order), ibOrderFor(input.order)), deps.marginCheck ?? { maxInitMarginChange: null }),
    ),
    submit: fromPromise<number, OrderContext>(async ({ input }) => {
      // Nothing is awaited between here and the bytes leaving: the order is in the store since intake,
      // and after a crash every open order is looked up by orderRef before it could be sent again.
      const ibOrderId = await session.orderIds.allocate();
      router.register(ibOrderId, input.order.clientOrderId);
      const contract = deps.contractFor(input.order);
      const order = ibOrderFor(input.order);
      session.enqueue('order', (api) => api.placeOrder(ibOrderId, contract, order));
      deps.onSent?.(input, ibOrderId);
      return ibOrderId;
    }),
    modify: fromPromise<void, OrderContext>(async ({ input }) => {
      const ibOrderId = input.ibOrderId;
      if (ibOrderId === null || !input.pendingModify) return;
      const contract = deps.contractFor(input.order);
      const order = ibOrderFor({ ...input.order, ...input.pendingModify });
      session.enqueue('order', (api) => api.placeOrder(ibOrderId, contract, order));
    }),
    cancel: fromPromise<void, OrderContext>(async ({ input }) => {
      const ibOrderId = input.ibOrderId;
      if (ibOrderId !== null) session.enqueue('cancel', (api) => api.cancelOrder(ibOrderId));
    }),
    lookup: fromCallback<OrderEvent, OrderContext>(({ input, sendBack }) => {
      session.lookupOrder(input.order.clientOrderId).then(
        (found) => {
          if (!found) return sendBack({ type: 'reconcile.notFound' });
          router.register(found.ibOrderId, input.order.clientOrderId);
          sendBack({ type: 'reconcile.found', ibOrderId: found.ibOrderId, status: found.status, filledQuantity: found.fills.reduce((n, f) => n + f.quantity, 0), fills: found.fills });
        },
        // A lookup that failed is never read as "not found": the order stays in doubt and is asked again.
        (error: Error) => logger.warn('order lookup failed; still in doubt', { orderId: input.order.clientOrderId, error: error.message }),
      );
    }),
  }).provide({
    guards: {
      canSendOrders: () => session.canSendOrders,
    },
    actions: {
      // Only a refusal changes the context: a passing order keeps its context object (the store then skips re-serialising it).
      runChecks: enqueueActions(({ context, enqueue }) => {
        const result = preTradeChecks(context.order, deps.preTrade);
        if (!result.ok) enqueue.assign({ checkFailures: result.reasons });
      }),
      issueSlice: ({ context }, params: { index: number; quantity: number }) => deps.issueSlice(context.order, params.index, params.quantity),
      cancelSlices: ({ context }, params: { slices: string[] }) => deps.cancelSlices(context.order, params.slices),
      persist: ({ context }, params: { state: string }) => {
        // At once, not after the write: the broker's last echoes for a finished order are expected.
        if (store.isTerminal(params.state)) router.retire(context.order.clientOrderId);
        writer.persist(context.order.clientOrderId, params.state, context);
      },
    },
  });
}
