import { MIN_SERVER_VER as V } from './ibServerVersions.ts';
import {
  both,
  f,
  fields,
  isSet,
  repeat,
  svAtLeast,
  svBelow,
  versionAtLeast,
  type Gate,
  type Item,
  type MessageLayout,
} from './layout.ts';

/**
 * Every message the simulator writes, laid out as IB's reference client decodes it in the text
 * (pre-protobuf) protocol. Sources: EDecoder.java (the 2025/2026 client, which still carries the
 * text decoders next to the protobuf ones), EOrderDecoder.java and ibapi/orderdecoder.py (2025).
 * Where Java and Python gate a field differently the server-version gate is used (both agree at
 * every version the simulator speaks).
 */

const NO_VERSION = () => Number.MAX_SAFE_INTEGER;
const v = versionAtLeast;
const sv = svAtLeast;

function simple(id: number, name: string, source: string, ...names: string[]): MessageLayout {
  return { id, name, source, impliedVersion: NO_VERSION, items: names.map((n) => f(n)) };
}

/** EOrderDecoder.readContractFields / orderdecoder.py decodeContractFields. */
const ORDER_CONTRACT: Item[] = [
  f('conId', v(17)),
  f('symbol'),
  f('secType'),
  f('lastTradeDateOrContractMonth'),
  f('strike'),
  f('right'),
  f('multiplier', v(32)),
  f('exchange'),
  f('currency'),
  f('localSymbol', v(2)),
  f('tradingClass', v(32)),
];

const scalePriceIncrementSet: Gate = (c) => {
  const text = c.read.scalePriceIncrement ?? '';
  const value = text === '' ? Number.MAX_VALUE : Number(text);
  return c.version >= 28 && value > 0 && value !== Number.MAX_VALUE;
};

const isPegBench: Gate = (c) => ['PEG BENCH', 'PEGBENCH'].includes((c.read.orderType ?? '').toUpperCase());

/**
 * EDecoder.java processOpenOrderMsg, field by field through EOrderDecoder (read* methods) and
 * orderdecoder.py (decode* methods). The message version is read below ORDER_CONTAINER (145) and
 * is the server version from there on.
 */
const OPEN_ORDER: MessageLayout = {
  id: 5,
  name: 'OPEN_ORDER',
  source: 'EDecoder.java processOpenOrderMsg + EOrderDecoder.java / orderdecoder.py OrderDecoder',
  impliedVersion: (s) => s,
  items: [
    f('version', svBelow(V.ORDER_CONTAINER)),
    f('orderId'), // readOrderId
    ...ORDER_CONTRACT, // readContractFields
    f('action'), // readAction
    f('totalQuantity'), // readTotalQuantity
    f('orderType'), // readOrderType
    f('lmtPrice'), // readLmtPrice
    f('auxPrice'), // readAuxPrice
    f('tif'), // readTIF
    f('ocaGroup'), // readOcaGroup
    f('account'), // readAccount
    f('openClose'), // readOpenClose
    f('origin'), // readOrigin
    f('orderRef'), // readOrderRef
    f('clientId', v(3)), // readClientId
    f('permId', v(4)), // readPermId
    f('outsideRth', v(4)), // readOutsideRth
    f('hidden', v(4)), // readHidden
    f('discretionaryAmt', v(4)), // readDiscretionaryAmount
    f('goodAfterTime', v(5)), // readGoodAfterTime
    f('sharesAllocation', v(6)), // skipSharesAllocation
    ...fields(v(7), 'faGroup', 'faMethod', 'faPercentage'), // readFAParams
    f('faProfile', both(v(7), svBelow(V.FA_PROFILE_DESUPPORT))), // orderdecoder.py decodeFAParams: serverVersion < 177
    f('modelCode', sv(V.MODELS_SUPPORT)), // EOrderDecoder.readModelCode: m_serverVersion >= 103, not the message version
    f('goodTillDate', v(8)), // readGoodTillDate
    ...fields(v(9), 'rule80A', 'percentOffset', 'settlingFirm', 'shortSaleSlot', 'designatedLocation'), // readRule80A..readShortSaleParams
    f('sshortxOld', (c) => c.sv === V.SSHORTX_OLD),
    f('exemptCode', (c) => c.sv !== V.SSHORTX_OLD && c.version >= 23),
    f('auctionStrategy', v(9)), // readAuctionStrategy
    ...fields(v(9), 'startingPrice', 'stockRefPrice', 'delta'), // readBoxOrderParams
    ...fields(v(9), 'stockRangeLower', 'stockRangeUpper'), // readPegToStkOrVolOrderParams
    f('displaySize', v(9)), // readDisplaySize
    f('rthOnly', (c) => c.version >= 9 && c.version < 18), // readOldStyleOutsideRth
    ...fields(v(9), 'blockOrder', 'sweepToFill', 'allOrNone', 'minQty', 'ocaType', 'eTradeOnly', 'firmQuoteOnly', 'nbboPriceCap'),
    ...fields(v(10), 'parentId', 'triggerMethod'), // readParentId, readTriggerMethod
    // readVolOrderParams(readOpenOrderAttribs = true)
    ...fields(v(11), 'volatility', 'volatilityType', 'deltaNeutralOrderType', 'deltaNeutralAuxPrice'),
    ...fields(
      both(v(27), isSet('deltaNeutralOrderType')),
      'deltaNeutralConId',
      'deltaNeutralSettlingFirm',
      'deltaNeutralClearingAccount',
      'deltaNeutralClearingIntent',
    ),
    ...fields(
      both(v(31), isSet('deltaNeutralOrderType')),
      'deltaNeutralOpenClose',
      'deltaNeutralShortSale',
      'deltaNeutralShortSaleSlot',
      'deltaNeutralDesignatedLocation',
    ),
    ...fields(v(11), 'continuousUpdate', 'referencePriceType'),
    f('trailStopPrice', v(13)), // readTrailParams
    f('trailingPercent', v(30)),
    ...fields(v(14), 'basisPoints', 'basisPointsType', 'comboLegsDescrip'), // readBasisPoints, readComboLegs
    f('comboLegsCount', v(29)),
    repeat(
      'comboLegsCount',
      ['legConId', 'legRatio', 'legAction', 'legExchange', 'legOpenClose', 'legShortSaleSlot', 'legDesignatedLocation', 'legExemptCode'].map((n) => f(n)),
      v(29),
    ),
    f('orderComboLegsCount', v(29)),
    repeat('orderComboLegsCount', [f('orderComboLegPrice')], v(29)),
    f('smartComboRoutingParamsCount', v(26)), // readSmartComboRoutingParams
    repeat('smartComboRoutingParamsCount', [f('tag'), f('value')], v(26)),
    ...fields(v(20), 'scaleInitLevelSize', 'scaleSubsLevelSize'), // readScaleOrderParams
    ...fields((c) => c.version >= 15 && c.version < 20, 'notSuppScaleNumComponents', 'scaleInitLevelSize'),
    f('scalePriceIncrement', v(15)),
    ...fields(
      scalePriceIncrementSet,
      'scalePriceAdjustValue',
      'scalePriceAdjustInterval',
      'scaleProfitOffset',
      'scaleAutoReset',
      'scaleInitPosition',
      'scaleInitFillQty',
      'scaleRandomPercent',
    ),
    f('hedgeType', v(24)), // readHedgeParams
    f('hedgeParam', both(v(24), isSet('hedgeType'))),
    f('optOutSmartRouting', v(25)), // readOptOutSmartRouting
    ...fields(v(19), 'clearingAccount', 'clearingIntent'), // readClearingParams
    f('notHeld', v(22)), // readNotHeld
    f('deltaNeutralContractPresent', v(20)), // readDeltaNeutral
    ...fields((c) => c.version >= 20 && c.read.deltaNeutralContractPresent === '1', 'dncConId', 'dncDelta', 'dncPrice'),
    f('algoStrategy', v(21)), // readAlgoParams
    f('algoParamsCount', both(v(21), isSet('algoStrategy'))),
    repeat('algoParamsCount', [f('algoTag'), f('algoValue')], both(v(21), isSet('algoStrategy'))),
    f('solicited', v(33)), // readSolicited
    // readWhatIfInfoAndCommissionAndFees
    ...fields(v(16), 'whatIf', 'status'),
    ...fields(
      both(v(16), sv(V.WHAT_IF_EXT_FIELDS)),
      'initMarginBefore',
      'maintMarginBefore',
      'equityWithLoanBefore',
      'initMarginChange',
      'maintMarginChange',
      'equityWithLoanChange',
    ),
    ...fields(
      v(16),
      'initMarginAfter',
      'maintMarginAfter',
      'equityWithLoanAfter',
      'commissionAndFees',
      'minCommissionAndFees',
      'maxCommissionAndFees',
      'commissionAndFeesCurrency',
    ),
    ...fields(both(v(16), sv(V.FULL_ORDER_PREVIEW_FIELDS)), 'marginCurrency'), // beyond 193; order allocations not modelled
    f('warningText', v(16)),
    ...fields(v(34), 'randomizeSize', 'randomizePrice'), // readVolRandomizeFlags
    ...fields(
      both(sv(V.PEGGED_TO_BENCHMARK), isPegBench),
      'referenceContractId',
      'isPeggedChangeAmountDecrease',
      'peggedChangeAmount',
      'referenceChangeAmount',
      'referenceExchangeId',
    ), // readPegToBenchParams
    // readConditions; the condition bodies are not modelled: the value checks require a count of 0
    f('conditionsCount', sv(V.PEGGED_TO_BENCHMARK)),
    ...fields(
      sv(V.PEGGED_TO_BENCHMARK),
      'adjustedOrderType',
      'triggerPrice',
      'adjustedTrailStopPrice',
      'lmtPriceOffset',
      'adjustedStopPrice',
      'adjustedStopLimitPrice',
      'adjustedTrailingAmount',
      'adjustableTrailingUnit',
    ), // readAdjustedOrderParams (incl. readStopPriceAndLmtPriceOffset)
    ...fields(sv(V.SOFT_DOLLAR_TIER), 'softDollarTierName', 'softDollarTierValue', 'softDollarTierDisplayName'),
    f('cashQty', sv(V.CASH_QTY)),
    f('dontUseAutoPriceForHedge', sv(V.AUTO_PRICE_FOR_HEDGE)),
    f('isOmsContainer', sv(V.ORDER_CONTAINER)),
    f('discretionaryUpToLimitPrice', sv(V.D_PEG_ORDERS)),
    f('usePriceMgmtAlgo', sv(V.PRICE_MGMT_ALGO)),
    f('duration', sv(V.DURATION)),
    f('postToAts', sv(V.POST_TO_ATS)),
    f('autoCancelParent', sv(V.AUTO_CANCEL_PARENT)),
    ...fields(sv(V.PEGBEST_PEGMID_OFFSETS), 'minTradeQty', 'minCompeteSize', 'competeAgainstBestOffset', 'midOffsetAtWhole', 'midOffsetAtHalf'),
    f('customerAccount', sv(V.CUSTOMER_ACCOUNT)),
    f('professionalCustomer', sv(V.PROFESSIONAL_CUSTOMER)),
    f('bondAccruedInterest', sv(V.BOND_ACCRUED_INTEREST)),
    f('includeOvernight', sv(V.INCLUDE_OVERNIGHT)),
    ...fields(sv(V.CME_TAGGING_FIELDS_IN_OPEN_ORDER), 'extOperator', 'manualOrderIndicator'), // readCMETaggingFields
    f('submitter', sv(V.SUBMITTER)),
    f('imbalanceOnly', sv(V.IMBALANCE_ONLY)),
  ],
};

/** EDecoder.java processContractDataMsg (readLastTradeDate is one field). */
const CONTRACT_DATA: MessageLayout = {
  id: 10,
  name: 'CONTRACT_DATA',
  source: 'EDecoder.java processContractDataMsg',
  impliedVersion: () => 8,
  items: [
    f('version', svBelow(V.SIZE_RULES)),
    f('reqId', v(3)),
    f('symbol'),
    f('secType'),
    f('lastTradeDateOrContractMonth'),
    f('lastTradeDate', sv(V.LAST_TRADE_DATE)),
    ...['strike', 'right', 'exchange', 'currency', 'localSymbol', 'marketName', 'tradingClass', 'conId', 'minTick'].map((n) => f(n)),
    f('mdSizeMultiplier', (c) => c.sv >= V.MD_SIZE_MULTIPLIER && c.sv < V.SIZE_RULES),
    f('multiplier'),
    f('orderTypes'),
    f('validExchanges'),
    f('priceMagnifier', v(2)),
    f('underConId', v(4)),
    ...fields(v(5), 'longName', 'primaryExch'),
    ...fields(v(6), 'contractMonth', 'industry', 'category', 'subcategory', 'timeZoneId', 'tradingHours', 'liquidHours'),
    ...fields(v(8), 'evRule', 'evMultiplier'),
    f('secIdListCount', v(7)),
    repeat('secIdListCount', [f('secIdTag'), f('secIdValue')], v(7)),
    f('aggGroup', sv(V.AGG_GROUP)),
    ...fields(sv(V.UNDERLYING_INFO), 'underSymbol', 'underSecType'),
    f('marketRuleIds', sv(V.MARKET_RULES)),
    f('realExpirationDate', sv(V.REAL_EXPIRATION_DATE)),
    f('stockType', sv(V.STOCK_TYPE)),
    f('sizeMinTick', (c) => c.sv >= V.FRACTIONAL_SIZE_SUPPORT && c.sv < V.SIZE_RULES),
    ...fields(sv(V.SIZE_RULES), 'minSize', 'sizeIncrement', 'suggestedSizeIncrement'),
    ...fields(
      (c) => c.sv >= V.FUND_DATA_FIELDS && c.read.secType === 'FUND',
      ...Array.from({ length: 17 }, (_, i) => `fund${i}`),
    ),
    f('ineligibilityReasonCount', sv(V.INELIGIBILITY_REASONS)),
    repeat('ineligibilityReasonCount', [f('ineligibilityId'), f('ineligibilityDescription')], sv(V.INELIGIBILITY_REASONS)),
  ],
};

/** EDecoder.java processExecutionDataMsg: the version is read below LAST_LIQUIDITY (136). */
const EXECUTION_DATA: MessageLayout = {
  id: 11,
  name: 'EXECUTION_DATA',
  source: 'EDecoder.java processExecutionDataMsg',
  impliedVersion: (s) => s,
  items: [
    f('version', svBelow(V.LAST_LIQUIDITY)),
    f('reqId', v(7)),
    f('orderId'),
    f('conId', v(5)),
    ...['symbol', 'secType', 'lastTradeDateOrContractMonth', 'strike', 'right'].map((n) => f(n)),
    f('multiplier', v(9)),
    f('exchange'),
    f('currency'),
    f('localSymbol'),
    f('tradingClass', v(10)),
    ...['execId', 'time', 'acctNumber', 'execExchange', 'side', 'shares', 'price'].map((n) => f(n)),
    f('permId', v(2)),
    f('clientId', v(3)),
    f('liquidation', v(4)),
    ...fields(v(6), 'cumQty', 'avgPrice'),
    f('orderRef', v(8)),
    ...fields(v(9), 'evRule', 'evMultiplier'),
    f('modelCode', sv(V.MODELS_SUPPORT)),
    f('lastLiquidity', sv(V.LAST_LIQUIDITY)),
    f('pendingPriceRevision', sv(V.PENDING_PRICE_REVISION)),
    f('submitter', sv(V.SUBMITTER)),
  ],
};

/** EDecoder.java processHistoricalDataMsg: no version from SYNT_REALTIME_BARS (124). */
const HISTORICAL_DATA: MessageLayout = {
  id: 17,
  name: 'HISTORICAL_DATA',
  source: 'EDecoder.java processHistoricalDataMsg',
  impliedVersion: NO_VERSION,
  items: [
    f('version', svBelow(V.SYNT_REALTIME_BARS)),
    f('reqId'),
    ...fields((c) => c.version >= 2 && c.sv < V.HISTORICAL_DATA_END, 'startDate', 'endDate'),
    f('itemCount'),
    repeat('itemCount', [
      ...['date', 'open', 'high', 'low', 'close', 'volume', 'wap'].map((n) => f(n)),
      f('hasGaps', svBelow(V.SYNT_REALTIME_BARS)),
      f('barCount', v(3)),
    ]),
  ],
};

export const REFERENCE_LAYOUTS: readonly MessageLayout[] = [
  {
    id: 1,
    name: 'TICK_PRICE',
    source: 'EDecoder.java processTickPriceMsg',
    impliedVersion: NO_VERSION,
    items: [f('version'), f('tickerId'), f('tickType'), f('price'), f('size', v(2)), f('attrMask', v(3))],
  },
  simple(2, 'TICK_SIZE', 'EDecoder.java processTickSizeMsg', 'version', 'tickerId', 'tickType', 'size'),
  {
    id: 3,
    name: 'ORDER_STATUS',
    source: 'EDecoder.java processOrderStatusMsg (version read below MARKET_CAP_PRICE)',
    impliedVersion: NO_VERSION,
    items: [
      f('version', svBelow(V.MARKET_CAP_PRICE)),
      ...['orderId', 'status', 'filled', 'remaining', 'avgFillPrice'].map((n) => f(n)),
      f('permId', v(2)),
      f('parentId', v(3)),
      f('lastFillPrice', v(4)),
      f('clientId', v(5)),
      f('whyHeld', v(6)),
      f('mktCapPrice', sv(V.MARKET_CAP_PRICE)),
    ],
  },
  {
    id: 4,
    name: 'ERR_MSG',
    source: 'EDecoder.java processErrorMsg',
    impliedVersion: NO_VERSION,
    items: [
      f('version', svBelow(V.ERROR_TIME)),
      f('id'),
      f('errorCode'),
      f('errorMsg'),
      f('advancedOrderRejectJson', sv(V.ADVANCED_ORDER_REJECT)),
      f('errorTime', sv(V.ERROR_TIME)),
    ],
  },
  OPEN_ORDER,
  {
    id: 6,
    name: 'ACCT_VALUE',
    source: 'EDecoder.java processAcctValueMsg',
    impliedVersion: NO_VERSION,
    items: [f('version'), f('key'), f('value'), f('currency'), f('accountName', v(2))],
  },
  {
    id: 7,
    name: 'PORTFOLIO_VALUE',
    source: 'EDecoder.java processPortfolioValueMsg',
    impliedVersion: NO_VERSION,
    items: [
      f('version'),
      f('conId', v(6)),
      ...['symbol', 'secType', 'lastTradeDateOrContractMonth', 'strike', 'right'].map((n) => f(n)),
      ...fields(v(7), 'multiplier', 'primaryExch'),
      f('currency'),
      f('localSymbol', v(2)),
      f('tradingClass', v(8)),
      f('position'),
      f('marketPrice'),
      f('marketValue'),
      ...fields(v(3), 'averageCost', 'unrealizedPNL', 'realizedPNL'),
      f('accountName', v(4)),
      f('primaryExch39', (c) => c.version === 6 && c.sv === 39),
    ],
  },
  simple(8, 'ACCT_UPDATE_TIME', 'EDecoder.java processAcctUpdateTimeMsg', 'version', 'timeStamp'),
  simple(9, 'NEXT_VALID_ID', 'EDecoder.java processNextValidIdMsg', 'version', 'orderId'),
  CONTRACT_DATA,
  EXECUTION_DATA,
  simple(15, 'MANAGED_ACCTS', 'EDecoder.java processManagedAcctsMsg', 'version', 'accountsList'),
  HISTORICAL_DATA,
  simple(49, 'CURRENT_TIME', 'EDecoder.java processCurrentTimeMsg', 'version', 'time'),
  simple(52, 'CONTRACT_DATA_END', 'EDecoder.java processContractDataEndMsg', 'version', 'reqId'),
  simple(53, 'OPEN_ORDER_END', 'EDecoder.java processOpenOrderEndMsg', 'version'),
  simple(54, 'ACCT_DOWNLOAD_END', 'EDecoder.java processAcctDownloadEndMsg', 'version', 'accountName'),
  simple(55, 'EXECUTION_DATA_END', 'EDecoder.java processExecutionDataEndMsg', 'version', 'reqId'),
  simple(57, 'TICK_SNAPSHOT_END', 'EDecoder.java processTickSnapshotEndMsg', 'version', 'reqId'),
  simple(58, 'MARKET_DATA_TYPE', 'EDecoder.java processMarketDataTypeMsg', 'version', 'reqId', 'marketDataType'),
  simple(
    59,
    'COMMISSION_REPORT',
    'EDecoder.java processCommissionAndFeesReportMsg',
    'version',
    'execId',
    'commission',
    'currency',
    'realizedPNL',
    'yield',
    'yieldRedemptionDate',
  ),
  {
    id: 61,
    name: 'POSITION',
    source: 'EDecoder.java processPositionMsg',
    impliedVersion: NO_VERSION,
    items: [
      f('version'),
      f('account'),
      ...['conId', 'symbol', 'secType', 'lastTradeDateOrContractMonth', 'strike', 'right', 'multiplier', 'exchange', 'currency', 'localSymbol'].map((n) => f(n)),
      f('tradingClass', v(2)),
      f('position'),
      f('avgCost', v(3)),
    ],
  },
  simple(62, 'POSITION_END', 'EDecoder.java processPositionEndMsg', 'version'),
  simple(63, 'ACCOUNT_SUMMARY', 'EDecoder.java processAccountSummaryMsg', 'version', 'reqId', 'account', 'tag', 'value', 'currency'),
  simple(64, 'ACCOUNT_SUMMARY_END', 'EDecoder.java processAccountSummaryEndMsg', 'version', 'reqId'),
  simple(
    90,
    'HISTORICAL_DATA_UPDATE',
    'EDecoder.java processHistoricalDataUpdateMsg',
    'reqId',
    'barCount',
    'date',
    'open',
    'close',
    'high',
    'low',
    'wap',
    'volume',
  ),
];

/**
 * EDecoder.java processCompletedOrderMsg: EOrderDecoder with the message version Integer.MAX_VALUE,
 * so only server-version gates apply (faProfile below FA_PROFILE_DESUPPORT, as orderdecoder.py).
 */
export const COMPLETED_ORDER: MessageLayout = {
  id: 101,
  name: 'COMPLETED_ORDER',
  source: 'EDecoder.java processCompletedOrderMsg + EOrderDecoder.java / orderdecoder.py OrderDecoder',
  impliedVersion: NO_VERSION,
  items: [
    ...ORDER_CONTRACT,
    ...['action', 'totalQuantity', 'orderType', 'lmtPrice', 'auxPrice', 'tif', 'ocaGroup', 'account', 'openClose', 'origin', 'orderRef', 'permId', 'outsideRth', 'hidden', 'discretionaryAmt', 'goodAfterTime'].map((n) => f(n)),
    ...['faGroup', 'faMethod', 'faPercentage'].map((n) => f(n)),
    f('faProfile', svBelow(V.FA_PROFILE_DESUPPORT)),
    f('modelCode', sv(V.MODELS_SUPPORT)),
    ...['goodTillDate', 'rule80A', 'percentOffset', 'settlingFirm', 'shortSaleSlot', 'designatedLocation'].map((n) => f(n)),
    f('sshortxOld', (c) => c.sv === V.SSHORTX_OLD),
    f('exemptCode', (c) => c.sv !== V.SSHORTX_OLD),
    ...['startingPrice', 'stockRefPrice', 'delta', 'stockRangeLower', 'stockRangeUpper', 'displaySize', 'sweepToFill', 'allOrNone', 'minQty', 'ocaType', 'triggerMethod'].map((n) => f(n)),
    // readVolOrderParams(readOpenOrderAttribs = false)
    ...['volatility', 'volatilityType', 'deltaNeutralOrderType', 'deltaNeutralAuxPrice'].map((n) => f(n)),
    ...fields(isSet('deltaNeutralOrderType'), 'deltaNeutralConId', 'deltaNeutralShortSale', 'deltaNeutralShortSaleSlot', 'deltaNeutralDesignatedLocation'),
    ...['continuousUpdate', 'referencePriceType', 'trailStopPrice', 'trailingPercent', 'comboLegsDescrip', 'comboLegsCount'].map((n) => f(n)),
    repeat('comboLegsCount', ['legConId', 'legRatio', 'legAction', 'legExchange', 'legOpenClose', 'legShortSaleSlot', 'legDesignatedLocation', 'legExemptCode'].map((n) => f(n))),
    f('orderComboLegsCount'),
    repeat('orderComboLegsCount', [f('orderComboLegPrice')]),
    f('smartComboRoutingParamsCount'),
    repeat('smartComboRoutingParamsCount', [f('tag'), f('value')]),
    ...['scaleInitLevelSize', 'scaleSubsLevelSize', 'scalePriceIncrement'].map((n) => f(n)),
    ...fields(scalePriceIncrementSet, 'scalePriceAdjustValue', 'scalePriceAdjustInterval', 'scaleProfitOffset', 'scaleAutoReset', 'scaleInitPosition', 'scaleInitFillQty', 'scaleRandomPercent'),
    f('hedgeType'),
    f('hedgeParam', isSet('hedgeType')),
    ...['clearingAccount', 'clearingIntent', 'notHeld', 'deltaNeutralContractPresent'].map((n) => f(n)),
    ...fields((c) => c.read.deltaNeutralContractPresent === '1', 'dncConId', 'dncDelta', 'dncPrice'),
    f('algoStrategy'),
    f('algoParamsCount', isSet('algoStrategy')),
    repeat('algoParamsCount', [f('algoTag'), f('algoValue')], isSet('algoStrategy')),
    ...['solicited', 'status', 'randomizeSize', 'randomizePrice'].map((n) => f(n)),
    ...fields(both(sv(V.PEGGED_TO_BENCHMARK), isPegBench), 'referenceContractId', 'isPeggedChangeAmountDecrease', 'peggedChangeAmount', 'referenceChangeAmount', 'referenceExchangeId'),
    f('conditionsCount', sv(V.PEGGED_TO_BENCHMARK)),
    f('trailStopPrice2'), // readStopPriceAndLmtPriceOffset
    f('lmtPriceOffset'),
    f('cashQty', sv(V.CASH_QTY)),
    f('dontUseAutoPriceForHedge', sv(V.AUTO_PRICE_FOR_HEDGE)),
    f('isOmsContainer', sv(V.ORDER_CONTAINER)),
    ...['autoCancelDate', 'filledQuantity', 'refFuturesConId', 'autoCancelParent', 'shareholder', 'imbalanceOnly', 'routeMarketableToBbo', 'parentPermId', 'completedTime', 'completedStatus'].map((n) => f(n)),
    ...fields(sv(V.PEGBEST_PEGMID_OFFSETS), 'minTradeQty', 'minCompeteSize', 'competeAgainstBestOffset', 'midOffsetAtWhole', 'midOffsetAtHalf'),
    f('customerAccount', sv(V.CUSTOMER_ACCOUNT)),
    f('professionalCustomer', sv(V.PROFESSIONAL_CUSTOMER)),
    f('submitter', sv(V.SUBMITTER)),
  ],
};

/**
 * Connect-time messages the simulator may also write (completed orders, PnL, market rules): judged
 * whenever a frame with their id turns up, but not required by the suite's request script.
 */
export const OPTIONAL_LAYOUTS: readonly MessageLayout[] = [
  {
    id: 93,
    name: 'MARKET_RULE',
    source: 'EDecoder.java processMarketRuleMsg',
    impliedVersion: NO_VERSION,
    items: [f('marketRuleId'), f('priceIncrementsCount'), repeat('priceIncrementsCount', [f('lowEdge'), f('increment')])],
  },
  {
    id: 94,
    name: 'PNL',
    source: 'EDecoder.java processPnLMsg',
    impliedVersion: NO_VERSION,
    items: [f('reqId'), f('dailyPnL'), f('unrealizedPnL', sv(129)), f('realizedPnL', sv(135))], // UNREALIZED_PNL, REALIZED_PNL
  },
  {
    id: 95,
    name: 'PNL_SINGLE',
    source: 'EDecoder.java processPnLSingleMsg',
    impliedVersion: NO_VERSION,
    items: [f('reqId'), f('pos'), f('dailyPnL'), f('unrealizedPnL', sv(129)), f('realizedPnL', sv(135)), f('value')],
  },
  COMPLETED_ORDER,
  { id: 102, name: 'COMPLETED_ORDERS_END', source: 'EDecoder.java processCompletedOrdersEndMsg', impliedVersion: NO_VERSION, items: [] },
];

export const LAYOUT_BY_ID: ReadonlyMap<number, MessageLayout> = new Map([...REFERENCE_LAYOUTS, ...OPTIONAL_LAYOUTS].map((l) => [l.id, l]));
