import type { CancelOutcome, PlaceOutcome } from '../broker/broker.ts';
import { isDone, type SimOrder } from '../broker/types.ts';
import type { PlaceOrderDetails } from '../ledger/messageLedger.ts';
import type { FieldReader } from '../protocol/fieldReader.ts';
import { parseCancelOrder, parsePlaceOrder, type PlaceOrderMessage } from '../protocol/incoming/orderRequests.ts';
import { IN } from '../protocol/messageIds.ts';
import type { SimContext } from './context.ts';
import type { Session } from './session.ts';

/** Who sent an order-affecting message: the connection and the client id its startApi took. */
function sender(session: Session) {
  return { connectionId: session.connectionId, clientId: session.clientId };
}

function details(m: PlaceOrderMessage): PlaceOrderDetails {
  return {
    symbol: m.contract.symbol ?? '',
    action: m.action,
    totalQuantity: m.totalQuantity ?? 0,
    orderType: m.orderType,
    ...(m.lmtPrice === undefined ? {} : { lmtPrice: m.lmtPrice }),
    ...(m.auxPrice === undefined ? {} : { auxPrice: m.auxPrice }),
    tif: m.tif,
    account: m.account,
  };
}

export function recordPlaceOrder(ctx: SimContext, session: Session, m: PlaceOrderMessage, outcome: PlaceOutcome): void {
  ctx.messages.record({
    ...sender(session),
    type: 'placeOrder',
    intent: outcome.intent,
    orderId: m.orderId,
    orderRef: m.orderRef,
    ...(outcome.order ? { permId: outcome.order.permId } : {}),
    whatIf: m.whatIf,
    order: details(m),
    ...(outcome.accepted ? { outcome: 'accepted' } : { outcome: 'refused', errorCode: outcome.code, errorMessage: outcome.message }),
  });
}

export function recordCancelOrder(ctx: SimContext, session: Session, orderId: number, outcome: CancelOutcome): void {
  ctx.messages.record({
    ...sender(session),
    type: 'cancelOrder',
    orderId,
    orderRef: outcome.order?.orderRef ?? '',
    ...(outcome.order ? { permId: outcome.order.permId } : {}),
    ...(outcome.accepted ? { outcome: 'accepted' } : { outcome: 'refused', errorCode: outcome.code, errorMessage: outcome.message }),
  });
}

export function recordGlobalCancel(ctx: SimContext, session: Session, cancelled: readonly SimOrder[]): void {
  ctx.messages.record({
    ...sender(session),
    type: 'reqGlobalCancel',
    outcome: 'accepted',
    cancelled: cancelled.map((o) => ({ clientId: o.clientId, orderId: o.orderId, permId: o.permId, orderRef: o.orderRef })),
  });
}

/**
 * An order-affecting message the session turned away before any handler saw it (pacing): it is
 * recorded as refused with the code the client was sent, with its order id when it can be read.
 */
export function recordRefusedBeforeDispatch(ctx: SimContext, session: Session, messageId: number, reader: FieldReader, code: number, message: string): void {
  const refused = { ...sender(session), outcome: 'refused' as const, errorCode: code, errorMessage: message };
  try {
    if (messageId === IN.PLACE_ORDER) {
      const m = parsePlaceOrder(reader, session.serverVersion);
      const existing = ctx.broker.order(session.clientId, m.orderId);
      const intent = existing && !isDone(existing) ? 'modify' : 'new';
      ctx.messages.record({ ...refused, type: 'placeOrder', intent, orderId: m.orderId, orderRef: m.orderRef, whatIf: m.whatIf, order: details(m) });
    } else if (messageId === IN.CANCEL_ORDER) {
      const orderId = parseCancelOrder(reader, session.serverVersion);
      ctx.messages.record({ ...refused, type: 'cancelOrder', orderId, orderRef: ctx.broker.order(session.clientId, orderId)?.orderRef ?? '' });
    } else if (messageId === IN.REQ_GLOBAL_CANCEL) {
      ctx.messages.record({ ...refused, type: 'reqGlobalCancel', cancelled: [] });
    }
  } catch {
    // Unreadable as well as refused: nothing reached the broker, and the ledger has no fields to show.
  }
}
