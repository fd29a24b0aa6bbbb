import type { PlaceOutcome } from '../../broker/broker.ts';
import type { Execution, OrderAction, SimOrderType, TimeInForce } from '../../broker/types.ts';
import { SUPPORTED_ORDER_TYPES, SUPPORTED_TIFS } from '../../broker/types.ts';
import { parseTwsDateTime } from '../../protocol/twsDateTime.ts';
import { ERR } from '../../protocol/errorCodes.ts';
import type { FieldReader } from '../../protocol/fieldReader.ts';
import { isBag } from '../../protocol/incoming/contractFields.ts';
import { parseExecutionsRequest } from '../../protocol/incoming/dataRequests.ts';
import { parseCancelOrder, parsePlaceOrder, type PlaceOrderMessage } from '../../protocol/incoming/orderRequests.ts';
import { writeCommissionReport, writeExecDetails, writeExecDetailsEnd } from '../../protocol/outgoing/executions.ts';
import { writeOpenOrder, writeOpenOrderEnd, writeOrderStatus } from '../../protocol/outgoing/orders.ts';
import type { SimContext } from '../context.ts';
import { contractProblem } from '../contractProblem.ts';
import { recordCancelOrder, recordGlobalCancel, recordPlaceOrder } from '../orderMessages.ts';
import type { Session } from '../session.ts';

export function handlePlaceOrder(session: Session, ctx: SimContext, r: FieldReader): void {
  const m = parsePlaceOrder(r, session.serverVersion);
  recordPlaceOrder(ctx, session, m, placeOrder(session, ctx, m));
}

function placeOrder(session: Session, ctx: SimContext, m: PlaceOrderMessage): PlaceOutcome {
  const reject = (reason: string) => ctx.broker.rejectInvalid(session.clientId, m.orderId, reason);
  if (isBag(m.contract)) return reject('Combination orders are not supported by the simulator');
  const instrument = ctx.catalogue.resolve(m.contract);
  // IB answers an expired, unlisted or ambiguous contract with 200, not an order rejection.
  if (!instrument) return ctx.broker.rejectInvalid(session.clientId, m.orderId, contractProblem(ctx, m.contract), ERR.NO_SECURITY_DEFINITION);
  if (m.action !== 'BUY' && m.action !== 'SELL') return reject(`Invalid action '${m.action}'`);
  if (!SUPPORTED_ORDER_TYPES.includes(m.orderType as SimOrderType)) return reject(`Unsupported order type '${m.orderType}'`);
  const tif = m.tif === '' ? 'DAY' : m.tif;
  if (!SUPPORTED_TIFS.includes(tif as TimeInForce)) return reject(`Unsupported time in force '${m.tif}'`);
  return ctx.broker.place({
    orderId: m.orderId,
    clientId: session.clientId,
    account: m.account,
    instrument,
    action: m.action as OrderAction,
    totalQuantity: m.totalQuantity ?? 0,
    orderType: m.orderType as SimOrderType,
    lmtPrice: m.lmtPrice,
    auxPrice: m.auxPrice,
    tif: tif as TimeInForce,
    orderRef: m.orderRef,
    whatIf: m.whatIf,
    outsideRth: m.outsideRth,
    parentId: m.parentId,
    ocaGroup: m.ocaGroup,
  });
}

export function handleCancelOrder(session: Session, ctx: SimContext, r: FieldReader): void {
  const orderId = parseCancelOrder(r, session.serverVersion);
  recordCancelOrder(ctx, session, orderId, ctx.broker.cancel(session.clientId, orderId));
}

export function handleGlobalCancel(session: Session, ctx: SimContext): void {
  recordGlobalCancel(ctx, session, ctx.broker.globalCancel());
}

/**
 * reqOpenOrders / reqAutoOpenOrders: this client's working orders; reqAllOpenOrders: everyone's.
 * Other clients' orders shown to a client raise the floor of its new order ids, as IB requires.
 */
export function handleOpenOrders(session: Session, ctx: SimContext, scope: 'client' | 'all'): void {
  const orders = ctx.broker.openOrders(scope === 'all' ? undefined : session.clientId);
  for (const order of orders) {
    writeOpenOrder(session.out, session.serverVersion, order, { status: order.status });
    writeOrderStatus(session.out, session.serverVersion, order);
    if (order.clientId !== session.clientId) ctx.broker.noteIdShown(session.clientId, order.orderId);
  }
  writeOpenOrderEnd(session.out);
}

/**
 * ExecutionFilter semantics: time in its zone (IB honours it; UTC without one), clientId 0 (or unset) matches every client's executions, another value
 * only that client's. IB sends commission reports for other clients' executions to the master
 * client only ("To receive commissions reports for all clients it is necessary to connect as the
 * Master Client ID"), so anyone else gets execDetails alone for those.
 */
export function handleReqExecutions(session: Session, ctx: SimContext, r: FieldReader): void {
  const f = parseExecutionsRequest(r);
  const since = f.time ? parseTwsDateTime(f.time) : undefined;
  const side = f.side.toUpperCase();
  const matches = (e: Execution) =>
    (f.clientId === 0 || e.clientId === f.clientId) &&
    (f.acctCode === '' || e.account === f.acctCode) &&
    (since === undefined || e.time >= since) &&
    (f.symbol === '' || e.symbol === f.symbol) &&
    (f.secType === '' || f.secType.toUpperCase() === 'FUT') &&
    (f.exchange === '' || e.exchange === f.exchange) &&
    (side === '' || (side === 'BUY' ? e.side === 'BOT' : side === 'SELL' ? e.side === 'SLD' : e.side === side));
  for (const e of ctx.broker.ledger.all()) {
    if (!matches(e)) continue;
    const instrument = ctx.catalogue.byConId(e.conId);
    if (!instrument) continue;
    writeExecDetails(session.out, session.serverVersion, f.reqId, e, instrument);
    if (e.clientId === session.clientId || session.clientId === ctx.config.masterClientId) writeCommissionReport(session.out, e);
  }
  writeExecDetailsEnd(session.out, f.reqId);
}
