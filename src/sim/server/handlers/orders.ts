import type { Execution, OrderAction, SimOrderType, TimeInForce } from '../../broker/types';
import { SUPPORTED_ORDER_TYPES, SUPPORTED_TIFS } from '../../broker/types';
import { parseTwsDateTime } from '../../market/historicalBars';
import { MSG } from '../../protocol/errorCodes';
import type { FieldReader } from '../../protocol/fieldReader';
import { isBag } from '../../protocol/incoming/contractFields';
import { parseExecutionsRequest } from '../../protocol/incoming/dataRequests';
import { parseCancelOrder, parsePlaceOrder } from '../../protocol/incoming/orderRequests';
import { writeCommissionReport, writeExecDetails, writeExecDetailsEnd } from '../../protocol/outgoing/executions';
import { writeOpenOrder, writeOpenOrderEnd, writeOrderStatus } from '../../protocol/outgoing/orders';
import type { SimContext } from '../context';
import type { Session } from '../session';

export function handlePlaceOrder(session: Session, ctx: SimContext, r: FieldReader): void {
  const m = parsePlaceOrder(r, session.serverVersion);
  const reject = (reason: string) => ctx.broker.rejectInvalid(session.clientId, m.orderId, reason);
  if (isBag(m.contract)) return reject('Combination orders are not supported by the simulator');
  const instrument = ctx.catalogue.resolve(m.contract);
  if (!instrument) return reject(MSG.noSecurityDefinition);
  if (m.action !== 'BUY' && m.action !== 'SELL') return reject(`Invalid action '${m.action}'`);
  if (!SUPPORTED_ORDER_TYPES.includes(m.orderType as SimOrderType)) return reject(`Unsupported order type '${m.orderType}'`);
  const tif = m.tif === '' ? 'DAY' : m.tif;
  if (!SUPPORTED_TIFS.includes(tif as TimeInForce)) return reject(`Unsupported time in force '${m.tif}'`);
  ctx.broker.place({
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
  ctx.broker.cancel(session.clientId, parseCancelOrder(r, session.serverVersion));
}

export function handleGlobalCancel(ctx: SimContext): void {
  ctx.broker.globalCancel();
}

/** reqOpenOrders / reqAutoOpenOrders: this client's working orders; reqAllOpenOrders: everyone's. */
export function handleOpenOrders(session: Session, ctx: SimContext, scope: 'client' | 'all'): void {
  const orders = ctx.broker.openOrders(scope === 'all' ? undefined : session.clientId);
  for (const order of orders) {
    writeOpenOrder(session.out, session.serverVersion, order, { status: order.status });
    writeOrderStatus(session.out, session.serverVersion, order);
  }
  writeOpenOrderEnd(session.out);
}

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
    const instrument = ctx.catalogue.bySymbolName(e.symbol);
    if (!instrument) continue;
    writeExecDetails(session.out, session.serverVersion, f.reqId, e, instrument);
    writeCommissionReport(session.out, e);
  }
  writeExecDetailsEnd(session.out, f.reqId);
}
