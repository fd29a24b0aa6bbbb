import { MIN_SERVER_VER as V } from './ibServerVersions.ts';

/**
 * Requests as EClient.java encodes them at a given server version, written out by hand so the
 * reference suite needs no client library. Only the leading fields the simulator reads are exact;
 * trailing optional groups are sent empty.
 */
type Fields = (string | number)[];

export const ACCOUNT = 'DU1234567';

/**
 * conId, symbol, secType, expiry, strike, right, multiplier, exchange, primaryExch, currency, localSymbol, tradingClass.
 * The month is March 2027 (ESH7), listed at the test instant: a future without a month is ambiguous.
 */
function contract(symbol: string): Fields {
  return [0, symbol, 'FUT', '202703', 0, '', '', '', '', 'USD', '', ''];
}

export interface OrderSpec {
  action: 'BUY' | 'SELL';
  qty: number;
  type: 'MKT' | 'LMT';
  lmtPrice?: number;
  orderRef: string;
  whatIf?: boolean;
}

/** EClient.placeOrder up to whatIf and orderMiscOptions. */
export function placeOrder(sv: number, orderId: number, symbol: string, o: OrderSpec): Fields {
  return [
    3,
    ...(sv < V.ORDER_CONTAINER ? [45] : []),
    orderId,
    ...contract(symbol),
    '', // secIdType
    '', // secId
    o.action,
    o.qty,
    o.type,
    o.lmtPrice ?? '',
    '', // auxPrice
    'DAY',
    '', // ocaGroup
    ACCOUNT,
    '', // openClose
    0, // origin
    o.orderRef,
    1, // transmit
    0, // parentId
    0, // blockOrder
    0, // sweepToFill
    0, // displaySize
    0, // triggerMethod
    0, // outsideRth
    0, // hidden
    '', // sharesAllocation
    '', // discretionaryAmt
    '', // goodAfterTime
    '', // goodTillDate
    '', // faGroup
    '', // faMethod
    '', // faPercentage
    ...(sv < V.FA_PROFILE_DESUPPORT ? [''] : []),
    ...(sv >= V.MODELS_SUPPORT ? [''] : []),
    0, // shortSaleSlot
    '', // designatedLocation
    -1, // exemptCode
    0, // ocaType
    '', // rule80A
    '', // settlingFirm
    0, // allOrNone
    '', // minQty
    '', // percentOffset
    0, // eTradeOnly
    0, // firmQuoteOnly
    '', // nbboPriceCap
    0, // auctionStrategy
    '', // startingPrice
    '', // stockRefPrice
    '', // delta
    '', // stockRangeLower
    '', // stockRangeUpper
    0, // overridePercentageConstraints
    '', // volatility
    '', // volatilityType
    '', // deltaNeutralOrderType
    '', // deltaNeutralAuxPrice
    0, // continuousUpdate
    '', // referencePriceType
    '', // trailStopPrice
    '', // trailingPercent
    '', // scaleInitLevelSize
    '', // scaleSubsLevelSize
    '', // scalePriceIncrement
    '', // scaleTable
    '', // activeStartTime
    '', // activeStopTime
    '', // hedgeType
    0, // optOutSmartRouting
    '', // clearingAccount
    '', // clearingIntent
    0, // notHeld
    0, // deltaNeutralContract
    '', // algoStrategy
    '', // algoId
    o.whatIf ? 1 : 0,
    '', // orderMiscOptions
  ];
}

/** EClient.cancelOrder: no version from CME_TAGGING_FIELDS; manualOrderCancelTime from MANUAL_ORDER_TIME. */
export function cancelOrder(sv: number, orderId: number): Fields {
  if (sv >= V.CME_TAGGING_FIELDS) return [4, orderId, '', '', '', ''];
  return [4, 1, orderId, ...(sv >= V.MANUAL_ORDER_TIME ? [''] : [])];
}

export const reqAllOpenOrders = (): Fields => [16, 1];
export const reqCurrentTime = (): Fields => [49, 1];
export const reqPositions = (): Fields => [61, 1];
export const reqAccountUpdates = (): Fields => [6, 2, 1, ACCOUNT];
export const reqAccountSummary = (reqId: number): Fields => [62, 1, reqId, 'All', 'NetLiquidation,TotalCashValue,BuyingPower'];
export const reqExecutions = (reqId: number): Fields => [7, 3, reqId, 0, '', '', '', '', '', ''];
export const reqContractDetails = (reqId: number, symbol: string): Fields => [9, 8, reqId, ...contract(symbol), 0, '', '', ''];

/** A snapshot: marketDataType, the quote ticks, then tickSnapshotEnd. */
export const reqMarketDataSnapshot = (reqId: number, symbol: string): Fields => [1, 11, reqId, ...contract(symbol), 0, '', 1, 0, ''];

/** keepUpToDate from SYNT_REALTIME_BARS (124), where the request also loses its version field. */
export function reqHistoricalData(sv: number, reqId: number, symbol: string): Fields {
  const modern = sv >= V.SYNT_REALTIME_BARS;
  return [20, ...(modern ? [] : [6]), reqId, ...contract(symbol), 0, '', '1 hour', '1 D', 0, 'TRADES', 1, ...(modern ? [1] : []), ''];
}
