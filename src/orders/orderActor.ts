import { fromCallback, fromPromise } from 'xstate';
import type { Contract } from '@stoqey/ib';
import type { Logger } from '../log/logger.ts';
import type { IbSession } from '../ib/session/ibSession.ts';
import { futureContract } from '../ib/parsing/contracts.ts';
import { ibOrderFor } from '../ib/parsing/orders.ts';
import { createOrderMachine } from '../machines/orders/orderMachine.ts';
import type { OrderChanges, OrderContext, OrderEvent, OrderSpec, SubmitOutcome } from '../machines/orders/orderTypes.ts';
import { createLimitChaseMachine } from '../machines/orders/algorithms/limitChaseMachine.ts';
import { twapMachine } from '../machines/orders/algorithms/twapMachine.ts';
import type { QuoteSource, Touch } from '../machines/orders/algorithms/quotes.ts';
import type { OrderRouter } from './orderRouter.ts';
import type { OrderStore } from './orderStore.ts';
import { preTradeChecks, type PreTradeContext } from './preTradeChecks.ts';
import { TransitionWriter } from './transitionWriter.ts';
import { judgeMargin, type MarginCheckConfig, type MarginVerdict } from './marginCheck.ts';
import type { OrderFaultHooks } from './orderFaultHooks.ts';
import { PlacementsInFlight } from './placementsInFlight.ts';

export interface OrderActorDeps {
  session: IbSession;
  router: OrderRouter;
  store: OrderStore;
  preTrade: PreTradeContext;
  logger: Logger;
  /** The exchange each symbol's orders are routed to. */
  exchanges: Readonly<Record<string, string>>;
  /** Every transition, after it is written (the live orders pass it on: audit trail, fills, event bus). */
  onTransition(clientOrderId: string, state: string, context: OrderContext): void;
  /** The placeOrder bytes written to the socket (metrics: route and acknowledgement latency). */
  placementWritten(clientOrderId: string): void;
  /** The moment the order is handed to the connection (the audit trail's time sent). */
  onSent(context: OrderContext, ibOrderId: number): void;
  /** A lookup found the order at the broker, placed by this API client id (null: not said). */
  onFound(clientOrderId: string, clientId: number | null): void;
  /** Why this order may not be modified from this session (it belongs to another IB client id), or null. */
  foreignOrder(clientOrderId: string): string | null;
  /** A modify the pre-trade checks refused (recorded in the order's history). */
  onModifyRefused(context: OrderContext, changes: OrderChanges, reasons: string[]): void;
  /** The whatIf margin check's limits (when orders are started with `marginCheck`). */
  marginCheck?: MarginCheckConfig;
  /** Prices for limit-chase (and the collar, through preTrade). */
  quotes: QuoteSource;
  /** A TWAP parent's slice, to be started as a child order (idempotent by its clientOrderId). */
  issueSlice(parent: OrderSpec, index: number, quantity: number): void;
  /** Ask the given slices (child orders) to cancel. */
  cancelSlices(parent: OrderSpec, slices: string[]): void;
  /** Test-only: an armed order's next action throws (the chaos run's actor crash). */
  faultHooks?: OrderFaultHooks;
}

/**
 * The order machine with its I/O: the IB session (through the parsing tables), the durable store,
 * the router that brings the broker's answers back, and the pre-trade checks. Everything here
 * goes down: to the store, the checks and the session; transitions are handed to `onTransition`.
 */
export function createOrderLogic(deps: OrderActorDeps) {
  const { session, router, store, logger } = deps;
  const contractFor = (order: OrderSpec): Contract => futureContract(order.symbol, { exchange: deps.exchanges[order.symbol] ?? '', expiry: order.expiry });
  const writer = new TransitionWriter(store, deps.onTransition, (clientOrderId, state, error) =>
    logger.error('order state not saved', { orderId: clientOrderId, state, error: error.message }),
  );
  // Per process, not per incarnation: a restarted order must still see its predecessor's bytes waiting.
  const placements = new PlacementsInFlight();
  return createOrderMachine(
    {
      chase: createLimitChaseMachine({
        readTouch: fromPromise<Touch | null, string>(async ({ input }) => deps.quotes.touch(input)),
      }),
      twap: twapMachine,
      marginCheck: fromPromise<MarginVerdict, OrderContext>(async ({ input }) =>
        judgeMargin(await session.whatIf(contractFor(input.order), ibOrderFor(input.order)), deps.marginCheck ?? { maxInitMarginChange: null }),
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
        const contract = contractFor(input.order);
        const order = ibOrderFor(input.order);
        placements.queued(clientOrderId);
        session.enqueueOrderMessage(
          'order',
          (api) => {
            api.placeOrder(ibOrderId, contract, order);
            placements.written(clientOrderId);
            deps.placementWritten(clientOrderId);
          },
          // Refused by the lease: it never left, so a lookup may say "not found" truthfully.
          () => placements.written(clientOrderId),
        );
        deps.onSent(input, ibOrderId);
        return { sent: true, ibOrderId, attempt: verdict.attempt };
      }),
      modify: fromPromise<void, OrderContext>(async ({ input }) => {
        const ibOrderId = input.ibOrderId;
        if (ibOrderId === null || !input.pendingModify) return;
        const contract = contractFor(input.order);
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
            deps.onFound(clientOrderId, found.clientId);
            // Stamped here, not in the machine: it stays pure and keeps each fill's time as given.
            const time = new Date().toISOString();
            const fills = found.fills.map((fill) => ({ ...fill, time }));
            sendBack({ type: 'reconcile.found', ibOrderId: found.ibOrderId, status: found.status, filledQuantity: fills.reduce((n, f) => n + f.quantity, 0), fills });
          },
          // A lookup that failed is never read as "not found": the order stays in doubt and is asked again.
          (error: Error) => logger.warn('order lookup failed; still in doubt', { orderId: clientOrderId, error: error.message }),
        );
      }),
    },
    {
      canSendOrders: () => session.canSendOrders,
      checkOrder: (context) => {
        const { order } = context;
        const positions = deps.preTrade.positions;
        const remaining = order.quantity - context.filledQuantity;
        // Checked again (back from doubt): its own reservation is replaced, not added to.
        const again = positions.isWorking(order.clientOrderId);
        // A slice's quantity is already reserved by its TWAP parent: hand it over first, so it is not counted twice.
        const parentId = again ? undefined : order.parentId;
        if (parentId !== undefined) positions.adjustWorking(parentId, -remaining);
        const result = preTradeChecks(order, deps.preTrade, again ? { replacing: order.clientOrderId, filled: context.filledQuantity } : { filled: context.filledQuantity });
        if (!result.ok) {
          if (parentId !== undefined) positions.adjustWorking(parentId, remaining);
          positions.release(order.clientOrderId);
          return result.reasons;
        }
        // Passing, it counts against the position limits at once (orders checked next see it).
        positions.reserve(order.clientOrderId, order, remaining);
        return null;
      },
      checkModify: (context, changes) => {
        // A placeOrder under our client id with another client's order id would be a second order, not a modify.
        const foreign = deps.foreignOrder(context.order.clientOrderId);
        if (foreign !== null) return [foreign];
        const result = preTradeChecks({ ...context.order, ...changes }, deps.preTrade, { replacing: context.order.clientOrderId, filled: context.filledQuantity });
        return result.ok ? [] : result.reasons;
      },
      modifyRefused: (context, changes, reasons) => {
        deps.onModifyRefused(context, changes, reasons);
        logger.info('modify refused; the working order is unchanged', { orderId: context.order.clientOrderId, reasons });
      },
      issueSlice: deps.issueSlice,
      cancelSlices: deps.cancelSlices,
      persist: (context, state) => {
        const clientOrderId = context.order.clientOrderId;
        if (deps.faultHooks?.takeCrash(clientOrderId)) throw new Error(`injected fault: order actor ${clientOrderId} crashed (testing.faultHooks)`);
        // At once, not after the write: the broker's last echoes for a finished order are expected.
        if (store.isTerminal(state)) router.retire(clientOrderId);
        writer.persist(clientOrderId, state, context);
      },
    },
  );
}
