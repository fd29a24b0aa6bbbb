import { TEST_SIM_CLOCK_MS } from '../../support/simClock.ts';
import { MIN_SERVER_VER as V } from './ibServerVersions.ts';
import { ACCOUNT } from './requests.ts';

/**
 * Key fields checked by name once a frame has the right field count. A field count can come out
 * right with a field in the wrong place (one missing early, one extra late), so these pin the
 * values IB's client would see at the positions that matter, modelCode's neighbours included.
 */
type Values = Readonly<Record<string, string>>;
type Check = (v: Values, sv: number) => string[];

const ORDER_STATUSES = new Set(['PendingSubmit', 'PendingCancel', 'PreSubmitted', 'Submitted', 'ApiCancelled', 'Cancelled', 'Filled', 'Inactive']);
const isNumber = (s: string | undefined) => s !== undefined && s !== '' && Number.isFinite(Number(s));
const isInteger = (s: string | undefined) => s !== undefined && /^-?\d+$/.test(s);

function expectAll(v: Values, expected: Record<string, string | ((s: string | undefined) => boolean)>): string[] {
  const problems: string[] = [];
  for (const [name, want] of Object.entries(expected)) {
    const got = v[name];
    const ok = typeof want === 'function' ? want(got) : got === want;
    if (!ok) problems.push(`${name} = ${JSON.stringify(got)}${typeof want === 'string' ? `, expected ${JSON.stringify(want)}` : ''}`);
  }
  return problems;
}

const ES_CONTRACT = { symbol: 'ES', secType: 'FUT', lastTradeDateOrContractMonth: '20270319', currency: 'USD', localSymbol: 'ESH7' };

export const KEY_FIELDS: Readonly<Record<string, Check>> = {
  OPEN_ORDER: (v, sv) => [
    ...expectAll(v, {
      ...ES_CONTRACT,
      exchange: 'CME',
      multiplier: '50',
      tradingClass: 'ES',
      account: ACCOUNT,
      orderType: (s) => ['MKT', 'LMT', 'STP', 'STP LMT'].includes(s ?? ''),
      orderRef: (s) => s?.startsWith('ref-') === true,
      permId: isInteger,
      clientId: isInteger,
      // the neighbours of modelCode: a missing or extra field before them moves these values
      sharesAllocation: '',
      goodTillDate: '',
      shortSaleSlot: '0',
      exemptCode: '-1',
      auctionStrategy: '0',
      // the fields that switch on optional groups: a shifted value landing here makes IB's decoder
      // read a group that is not there and realign, so the count alone would not notice
      deltaNeutralOrderType: '',
      comboLegsCount: '0',
      orderComboLegsCount: '0',
      smartComboRoutingParamsCount: '0',
      scalePriceIncrement: '',
      hedgeType: '',
      deltaNeutralContractPresent: '0',
      algoStrategy: '',
      whatIf: (s) => s === '0' || s === '1',
      status: (s) => ORDER_STATUSES.has(s ?? ''),
      warningText: '',
    }),
    ...(sv < V.ORDER_CONTAINER ? expectAll(v, { version: '34' }) : []),
    ...(sv >= V.MODELS_SUPPORT ? expectAll(v, { modelCode: '' }) : []),
    ...(sv >= V.PEGGED_TO_BENCHMARK ? expectAll(v, { conditionsCount: '0', adjustableTrailingUnit: '0' }) : []),
    ...(v.whatIf === '1' ? expectAll(v, { initMarginAfter: isNumber, maintMarginAfter: isNumber, commissionAndFeesCurrency: 'USD' }) : []),
  ],
  ORDER_STATUS: (v) => expectAll(v, { orderId: isInteger, status: (s) => ORDER_STATUSES.has(s ?? ''), filled: isNumber, remaining: isNumber, permId: isInteger, clientId: isInteger, whyHeld: '' }),
  ERR_MSG: (v, sv) => [
    ...expectAll(v, { id: isInteger, errorCode: isInteger, errorMsg: (s) => (s ?? '') !== '' }),
    ...(sv >= V.ENCODE_MSG_ASCII7 ? expectAll(v, { errorMsg: (s) => /^[\x00-\x7f]*$/.test(s ?? '') }) : []),
  ],
  EXECUTION_DATA: (v, sv) => [
    ...expectAll(v, { ...ES_CONTRACT, conId: '637533641', execId: (s) => (s ?? '') !== '', acctNumber: ACCOUNT, side: (s) => s === 'BOT' || s === 'SLD', shares: isNumber, price: isNumber, permId: isInteger, orderRef: (s) => s?.startsWith('ref-') === true }),
    ...(sv >= V.MODELS_SUPPORT ? expectAll(v, { modelCode: '' }) : []),
    ...(sv >= V.LAST_LIQUIDITY ? expectAll(v, { lastLiquidity: '1' }) : []),
    ...(sv >= V.PENDING_PRICE_REVISION ? expectAll(v, { pendingPriceRevision: '0' }) : []),
  ],
  COMMISSION_REPORT: (v) => expectAll(v, { execId: (s) => (s ?? '') !== '', commission: isNumber, currency: 'USD', yieldRedemptionDate: '0' }),
  CONTRACT_DATA: (v, sv) => [
    // Contract details carry the last trade time with the date, as IB sends it.
    ...expectAll(v, { ...ES_CONTRACT, lastTradeDateOrContractMonth: '20270319 08:30:00', exchange: 'CME', marketName: 'ES', tradingClass: 'ES', conId: '637533641', minTick: '0.25', multiplier: '50', longName: 'E-mini S&P 500', timeZoneId: (s) => (s ?? '') !== '', secIdListCount: '0' }),
    ...(sv >= V.LAST_TRADE_DATE ? expectAll(v, { lastTradeDate: '20270319' }) : []),
    ...(sv >= V.INELIGIBILITY_REASONS ? expectAll(v, { ineligibilityReasonCount: '0' }) : []),
  ],
  POSITION: (v) => expectAll(v, { account: ACCOUNT, conId: isInteger, secType: 'FUT', position: isNumber, avgCost: isNumber }),
  PORTFOLIO_VALUE: (v) => expectAll(v, { conId: isInteger, secType: 'FUT', position: isNumber, marketPrice: isNumber, accountName: ACCOUNT }),
  ACCT_VALUE: (v) => expectAll(v, { key: (s) => (s ?? '') !== '', accountName: ACCOUNT }),
  ACCOUNT_SUMMARY: (v) => expectAll(v, { reqId: '2', account: ACCOUNT, tag: (s) => (s ?? '') !== '' }),
  ACCOUNT_SUMMARY_END: (v) => expectAll(v, { reqId: '2' }),
  EXECUTION_DATA_END: (v) => expectAll(v, { reqId: '1' }),
  CONTRACT_DATA_END: (v) => expectAll(v, { reqId: '3' }),
  TICK_PRICE: (v) => expectAll(v, { tickerId: '4', tickType: isInteger, price: isNumber, size: isNumber, attrMask: '0' }),
  TICK_SIZE: (v) => expectAll(v, { tickerId: '4', size: isNumber }),
  MARKET_DATA_TYPE: (v) => expectAll(v, { reqId: '4', marketDataType: '1' }),
  TICK_SNAPSHOT_END: (v) => expectAll(v, { reqId: '4' }),
  HISTORICAL_DATA: (v) => expectAll(v, { reqId: '5', itemCount: (s) => Number(s) > 0, 'date.0': (s) => (s ?? '') !== '', 'close.0': isNumber, 'barCount.0': isInteger }),
  HISTORICAL_DATA_UPDATE: (v) => expectAll(v, { reqId: '5', barCount: isInteger, close: isNumber, volume: isNumber }),
  CURRENT_TIME: (v) => expectAll(v, { time: (s) => Math.abs(Number(s) - TEST_SIM_CLOCK_MS / 1000) < 600 }), // the simulator's clock
  MANAGED_ACCTS: (v) => expectAll(v, { accountsList: ACCOUNT }),
  NEXT_VALID_ID: (v) => expectAll(v, { orderId: isInteger }),
  ACCT_DOWNLOAD_END: (v) => expectAll(v, { accountName: ACCOUNT }),
};
