import type { BrokerListener } from '../../broker/broker.ts';
import type { Instrument } from '../../../instruments/instruments.ts';
import { ERR, MSG } from '../../protocol/errorCodes.ts';
import type { FieldReader } from '../../protocol/fieldReader.ts';
import {
  parseCompletedOrdersRequest,
  parseMarketDataTypeRequest,
  parseMarketRuleRequest,
  parseSecDefOptParamsRequest,
} from '../../protocol/incoming/startupRequests.ts';
import { writeCompletedOrder, writeCompletedOrdersEnd } from '../../protocol/outgoing/completedOrders.ts';
import { writeFamilyCodes } from '../../protocol/outgoing/familyCodes.ts';
import { writeMarketDataType } from '../../protocol/outgoing/marketData.ts';
import { type PriceIncrement, writeMarketRule } from '../../protocol/outgoing/marketRules.ts';
import { writeSecDefOptParamsEnd } from '../../protocol/outgoing/optionParams.ts';
import type { SimContext } from '../context.ts';
import type { Session } from '../session.ts';

/**
 * reqCompletedOrders: every filled or cancelled order the broker holds, whichever client placed it
 * (all of them are API orders, so apiOnly changes nothing), then the end marker.
 */
export function handleReqCompletedOrders(session: Session, ctx: SimContext, r: FieldReader): void {
  parseCompletedOrdersRequest(r);
  for (const order of ctx.broker.allOrders()) {
    if (order.status !== 'Filled' && order.status !== 'Cancelled') continue;
    const completedAt = ctx.completedAt.get(order) ?? ctx.clock.now();
    writeCompletedOrder(session.out, session.serverVersion, order, { completedAt, completedStatus: order.status });
  }
  writeCompletedOrdersEnd(session.out);
}

/** Wraps the broker's listener to note when each order reached its final state (for completed orders). */
export function recordingCompletions(listener: BrokerListener, ctx: SimContext): BrokerListener {
  return {
    orderSubmitted: (order) => listener.orderSubmitted(order),
    orderFilled(order, execution) {
      if (order.status === 'Filled') ctx.completedAt.set(order, execution.time);
      listener.orderFilled(order, execution);
    },
    orderCancelled(order) {
      ctx.completedAt.set(order, ctx.clock.now());
      listener.orderCancelled(order);
    },
    orderRejected: (clientId, orderId, code, message) => listener.orderRejected(clientId, orderId, code, message),
    whatIfAnswered: (order, margins) => listener.whatIfAnswered(order, margins),
  };
}

/**
 * reqMarketDataType: as TWS does, MARKET_DATA_TYPE for every active subscription with the type now
 * delivered, always 1 (live). The simulator has live permissions, so a request for delayed data (3)
 * gets live data as TWS gives it. Frozen data (2, 4: IB's last price while a market is closed) is not
 * modelled: outside its sessions an instrument sends no quotes, whatever type was asked for.
 */
export function handleReqMarketDataType(session: Session, _ctx: SimContext, r: FieldReader): void {
  const { marketDataType } = parseMarketDataTypeRequest(r);
  if (marketDataType < 1 || marketDataType > 4) {
    return session.sendError(
      -1,
      ERR.ERROR_VALIDATING_REQUEST,
      MSG.errorValidatingRequest('reqMarketDataType', `Invalid market data type ${marketDataType}`),
    );
  }
  for (const reqId of session.marketData.keys()) writeMarketDataType(session.out, reqId, 1);
}

/** reqFamilyCodes: one code per managed account (a lone account is its own family). */
export function handleReqFamilyCodes(session: Session, ctx: SimContext): void {
  writeFamilyCodes(
    session.out,
    ctx.accountIds.map((accountId) => ({ accountId, familyCode: `${accountId}A` })),
  );
}

/** The market rule of a product (every month shares it), as contract details' marketRuleIds carry it. */
export function marketRuleIdOf(product: Instrument): number {
  return product.conId % 1000;
}

/** The price ladder of a market rule: one increment, the product's tick size, from 0 up. */
export function marketRuleIncrements(products: readonly Instrument[], marketRuleId: number): PriceIncrement[] | undefined {
  const ruled = products.find((i) => marketRuleIdOf(i) === marketRuleId);
  return ruled ? [{ lowEdge: 0, increment: ruled.tickSize }] : undefined;
}

/** reqMarketRule: the rule's increments; an id no instrument carries gets 321 (the request has no id to answer). */
export function handleReqMarketRule(session: Session, ctx: SimContext, r: FieldReader): void {
  const { marketRuleId } = parseMarketRuleRequest(r);
  const increments = marketRuleIncrements(ctx.catalogue.products, marketRuleId);
  if (!increments) {
    return session.sendError(-1, ERR.ERROR_VALIDATING_REQUEST, MSG.errorValidatingRequest('reqMarketRule', `Invalid market rule id ${marketRuleId}`));
  }
  writeMarketRule(session.out, marketRuleId, increments);
}

/** reqSecDefOptParams: the simulator lists no options, so only the end marker. */
export function handleReqSecDefOptParams(session: Session, _ctx: SimContext, r: FieldReader): void {
  writeSecDefOptParamsEnd(session.out, parseSecDefOptParamsRequest(r).reqId);
}
