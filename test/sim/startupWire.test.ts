import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TwsSimulator } from '../../src/sim/index.ts';
import { EventName, TestClient, futures, order } from './harness.ts';
import { RawClient, frame, handshakeBytes } from './rawClient.ts';
import { startSimulator } from '../support/simulator.ts';

/**
 * Every message the connect-time requests produce, checked field by field against lists written
 * from IB's reference decoders (ibapi decoder.py / orderdecoder.py 2025, EDecoder.java /
 * EOrderDecoder.java), at server versions on each side of every gate they read.
 */

const ACCOUNT = 'DU1234567';
type Expected = (string | RegExp)[];
/** Server-version gates as IB's decoders name them (EClient MIN_SERVER_VER_*). */
const MODELS_SUPPORT = 103;
const PEGGED_TO_BENCHMARK = 102;
const CASH_QTY = 111;
const UNREALIZED_PNL = 129;
const REALIZED_PNL = 135;
const AUTO_PRICE_FOR_HEDGE = 141;
const ORDER_CONTAINER = 145;
const PEGBEST_PEGMID_OFFSETS = 170;
const FA_PROFILE_DESUPPORT = 177;
const CUSTOMER_ACCOUNT = 183;
const PROFESSIONAL_CUSTOMER = 184;

const when = (gate: boolean, ...fields: Expected): Expected => (gate ? fields : []);
const NUMBER = /^-?\d+(\.\d+)?$/;

interface CompletedOrderFacts {
  conId: number;
  symbol: string;
  expiry: string;
  multiplier: string;
  exchange: string;
  localSymbol: string;
  tradingClass: string;
  action: string;
  qty: string;
  orderType: string;
  lmtPrice: string;
  tif: string;
  orderRef: string;
  permId: number;
  status: string;
  filled: string;
}

/**
 * decoder.py processCompletedOrderMsg (the order decoder built with version UNSET_INTEGER, so only
 * server-version gates apply), field by field.
 */
function expectedCompletedOrder(sv: number, f: CompletedOrderFacts): Expected {
  return [
    '101',
    // decodeContractFields: conId, symbol, secType, lastTradeDateOrContractMonth, strike, right, multiplier, exchange, currency, localSymbol, tradingClass
    String(f.conId), f.symbol, 'FUT', f.expiry, '0', '', f.multiplier, f.exchange, 'USD', f.localSymbol, f.tradingClass,
    f.action, f.qty, f.orderType, f.lmtPrice, '', f.tif, // decodeAction .. decodeTIF (auxPrice unset)
    '', ACCOUNT, '', '0', f.orderRef, String(f.permId), // ocaGroup, account, openClose, origin, orderRef, permId
    '0', '0', '0', '', // outsideRth, hidden, discretionaryAmt, goodAfterTime
    '', '', '', ...when(sv < FA_PROFILE_DESUPPORT, ''), // decodeFAParams
    ...when(sv >= MODELS_SUPPORT, ''), // decodeModelCode
    '', '', '', '', // goodTillDate, rule80A, percentOffset, settlingFirm
    '0', '', '-1', // decodeShortSaleParams: shortSaleSlot, designatedLocation, exemptCode
    '', '', '', // decodeBoxOrderParams
    '', '', // decodePegToStkOrVolOrderParams
    '', '0', '0', '', '0', '0', // displaySize, sweepToFill, allOrNone, minQty, ocaType, triggerMethod
    '', '0', '', '', '0', '0', // decodeVolOrderParams(False): volatility, volatilityType, deltaNeutralOrderType, deltaNeutralAuxPrice, continuousUpdate, referencePriceType
    '', '', // decodeTrailParams
    '', '0', '0', // decodeComboLegs
    '0', // decodeSmartComboRoutingParams
    '', '', '', // decodeScaleOrderParams
    '', // decodeHedgeParams
    '', '', // decodeClearingParams
    '0', '0', '', '0', // notHeld, deltaNeutral present, algoStrategy, solicited
    f.status, // decodeOrderStatus
    '0', '0', // decodeVolRandomizeFlags
    ...when(sv >= PEGGED_TO_BENCHMARK, '0'), // decodeConditions (decodePegToBenchParams reads nothing for non-PEG BENCH)
    '', '', // decodeStopPriceAndLmtPriceOffset
    ...when(sv >= CASH_QTY, ''),
    ...when(sv >= AUTO_PRICE_FOR_HEDGE, '0'),
    ...when(sv >= ORDER_CONTAINER, '0'),
    '', f.filled, '0', // autoCancelDate, filledQuantity, refFuturesConId
    '0', '', '0', '0', '0', // autoCancelParent, shareholder, imbalanceOnly, routeMarketableToBbo, parentPermId
    /^\d{8} \d{2}:\d{2}:\d{2} UTC$/, f.status, // completedTime, completedStatus
    ...when(sv >= PEGBEST_PEGMID_OFFSETS, '', '', '', '', ''),
    ...when(sv >= CUSTOMER_ACCOUNT, ''),
    ...when(sv >= PROFESSIONAL_CUSTOMER, '0'),
  ];
}

function expectFields(actual: string[] | undefined, expected: Expected): void {
  expect(actual, 'message missing').toBeDefined();
  const fields = actual as string[];
  for (let k = 0; k < Math.max(fields.length, expected.length); k++) {
    const want = expected[k];
    const got = fields[k];
    if (want instanceof RegExp) expect(got, `field ${k}`).toMatch(want);
    else expect(got, `field ${k}`).toBe(want);
  }
}

async function rawAt(port: number, serverVersion: number, clientId: number): Promise<RawClient> {
  const client = await RawClient.connect(port);
  client.socket.write(handshakeBytes(`v100..${serverVersion}`));
  await client.waitFor((frames) => frames.length >= 1);
  client.socket.write(frame([71, 2, clientId, '']));
  await client.waitFor((frames) => frames.some((f) => f[0] === '9'));
  return client;
}

describe('connect-time messages field by field against IB decoders', () => {
  let sim: TwsSimulator;
  let port: number;
  let trader: TestClient;
  let raw: RawClient | undefined;
  let nextClientId = 100;
  const filled = { permId: 0, qty: '2' };
  const cancelled = { permId: 0, lmtPrice: '' };

  beforeAll(async () => {
    ({ sim, port } = await startSimulator());
    // One filled and one cancelled order, placed through IBApi by another client.
    trader = new TestClient(port);
    const id = await trader.connect(1);
    const fill = trader.next(EventName.orderStatus, (oid: number, s: string) => oid === id && s === 'Filled');
    trader.ib.placeOrder(id, futures('ES'), order('BUY', 2, 'MKT', { orderRef: 'wire-fill' }));
    filled.permId = (await fill)[5];
    const rest = trader.next(EventName.orderStatus, (oid: number, s: string) => oid === id + 1 && s === 'Submitted');
    const limit = sim.price('ZB') + 1;
    cancelled.lmtPrice = String(limit);
    trader.ib.placeOrder(id + 1, futures('ZB'), order('SELL', 1, 'LMT', { lmtPrice: limit, tif: 'GTC', orderRef: 'wire-cancel' }));
    cancelled.permId = (await rest)[5];
    const gone = trader.next(EventName.orderStatus, (oid: number, s: string) => oid === id + 1 && s === 'Cancelled');
    trader.ib.cancelOrder(id + 1);
    await gone;
    await trader.expectError(202, id + 1);
  });
  afterAll(async () => {
    trader.disconnect();
    await sim.close();
  });
  afterEach(() => {
    raw?.destroy();
    raw = undefined;
  });

  async function connect(sv: number): Promise<RawClient> {
    raw = await rawAt(port, sv, nextClientId++);
    raw.received = Buffer.alloc(0);
    return raw;
  }

  it.each([150, 176, 177, 183, 193])('COMPLETED_ORDER and COMPLETED_ORDERS_END at server version %i', async (sv) => {
    const c = await connect(sv);
    c.socket.write(frame([99, 0]));
    await c.waitFor((frames) => frames.some((f) => f[0] === '102'));
    const frames = c.frames();
    expectFields(frames.find((f) => f[0] === '102'), ['102']);
    const completed = frames.filter((f) => f[0] === '101');
    expect(completed).toHaveLength(2);
    expectFields(
      completed.find((f) => f.includes('wire-fill')),
      expectedCompletedOrder(sv, {
        conId: 637533641, symbol: 'ES', expiry: '20270319', multiplier: '50', exchange: 'CME', localSymbol: 'ESH7', tradingClass: 'ES',
        action: 'BUY', qty: '2', orderType: 'MKT', lmtPrice: '', tif: 'DAY', orderRef: 'wire-fill', permId: filled.permId, status: 'Filled', filled: '2',
      }),
    );
    expectFields(
      completed.find((f) => f.includes('wire-cancel')),
      expectedCompletedOrder(sv, {
        conId: 815824235, symbol: 'ZB', expiry: '20270319', multiplier: '1000', exchange: 'CBOT', localSymbol: 'ZB   MAR 27', tradingClass: 'ZB',
        action: 'SELL', qty: '1', orderType: 'LMT', lmtPrice: cancelled.lmtPrice, tif: 'GTC', orderRef: 'wire-cancel', permId: cancelled.permId,
        status: 'Cancelled', filled: '0',
      }),
    );
  });

  it.each([127, 129, 135, 193])('PNL and PNL_SINGLE at server version %i (EDecoder.processPnLMsg / processPnLSingleMsg)', async (sv) => {
    const c = await connect(sv);
    c.socket.write(frame([92, 7, ACCOUNT, '']));
    c.socket.write(frame([94, 8, ACCOUNT, '', 637533641]));
    await c.waitFor((frames) => frames.some((f) => f[0] === '94') && frames.some((f) => f[0] === '95'));
    const frames = c.frames();
    // PNL: reqId, dailyPnL, [unrealizedPnL >= UNREALIZED_PNL], [realizedPnL >= REALIZED_PNL]
    expectFields(frames.find((f) => f[0] === '94'), ['94', '7', NUMBER, ...when(sv >= UNREALIZED_PNL, NUMBER), ...when(sv >= REALIZED_PNL, NUMBER)]);
    // PNL_SINGLE: reqId, pos, dailyPnL, [unrealizedPnL], [realizedPnL], value
    expectFields(frames.find((f) => f[0] === '95'), [
      '95', '8', filled.qty, NUMBER, ...when(sv >= UNREALIZED_PNL, NUMBER), ...when(sv >= REALIZED_PNL, NUMBER), NUMBER,
    ]);
  });

  it.each([103, 193])('POSITION_MULTI, ACCOUNT_UPDATE_MULTI and their ends at server version %i', async (sv) => {
    const c = await connect(sv);
    c.socket.write(frame([74, 1, 11, ACCOUNT, 'M1']));
    c.socket.write(frame([76, 1, 12, ACCOUNT, 'M1', 1]));
    await c.waitFor((frames) => frames.some((f) => f[0] === '72') && frames.some((f) => f[0] === '74'));
    const frames = c.frames();
    // processPositionMultiMsg: version, reqId, account, conId, symbol, secType, lastTradeDateOrContractMonth,
    // strike, right, multiplier, exchange, currency, localSymbol, tradingClass, pos, avgCost, modelCode
    expectFields(frames.find((f) => f[0] === '71' && f[4] === '637533641'), [
      '71', '1', '11', ACCOUNT, '637533641', 'ES', 'FUT', '20270319', '0', '', '50', 'CME', 'USD', 'ESH7', 'ES', filled.qty, NUMBER, 'M1',
    ]);
    expectFields(frames.find((f) => f[0] === '72'), ['72', '1', '11']);
    // processAccountUpdateMultiMsg: version, reqId, account, modelCode, key, value, currency
    expectFields(frames.find((f) => f[0] === '73' && f[5] === 'NetLiquidation'), ['73', '1', '12', ACCOUNT, 'M1', 'NetLiquidation', NUMBER, 'USD']);
    expectFields(frames.find((f) => f[0] === '73' && f[5] === 'CashBalance' && f[7] === 'BASE'), ['73', '1', '12', ACCOUNT, 'M1', 'CashBalance', NUMBER, 'BASE']);
    expectFields(frames.find((f) => f[0] === '74'), ['74', '1', '12']);
  });

  it.each([107, 126, 193])('FAMILY_CODES, MARKET_RULE and SECURITY_DEFINITION_OPTION_PARAMETER_END at server version %i', async (sv) => {
    const c = await connect(sv);
    c.socket.write(frame([80]));
    c.socket.write(frame([91, 637533641 % 1000]));
    c.socket.write(frame([78, 21, 'ES', 'CME', 'FUT', 637533641]));
    await c.waitFor((frames) => ['78', '93', '76'].every((id) => frames.some((f) => f[0] === id)));
    const frames = c.frames();
    // processFamilyCodesMsg: count, then accountID, familyCode
    expectFields(frames.find((f) => f[0] === '78'), ['78', '1', ACCOUNT, `${ACCOUNT}A`]);
    // processMarketRuleMsg: marketRuleId, count, then lowEdge, increment
    expectFields(frames.find((f) => f[0] === '93'), ['93', '641', '1', '0', '0.25']);
    // processSecurityDefinitionOptionalParameterEndMsg: reqId
    expectFields(frames.find((f) => f[0] === '76'), ['76', '21']);
  });

  it('reqMarketDataType answers MARKET_DATA_TYPE (version, reqId, type) for each active subscription', async () => {
    const c = await connect(193);
    c.socket.write(frame([1, 11, 31, 0, 'ES', 'FUT', '202703', 0, '', '', 'CME', '', 'USD', '', '', 0, '', 0, 0, '']));
    await c.waitFor((frames) => frames.some((f) => f[0] === '58'));
    c.received = Buffer.alloc(0);
    c.socket.write(frame([59, 1, 4]));
    await c.waitFor((frames) => frames.some((f) => f[0] === '58'));
    expectFields(c.frames().find((f) => f[0] === '58'), ['58', '1', '31', '1']);
  });

  it.each([100, 193])('unmodelled requests at server version %i: 321 on the request id, end marker after it', async (sv) => {
    const c = await connect(sv);
    c.socket.write(frame([86, 41, 637533641, 'BRFG', '', '', 10, '']));
    c.socket.write(frame([52, 2, 42, 0, 'ES', 'FUT']));
    c.socket.write(frame([85]));
    await c.waitFor((frames) => frames.filter((f) => f[0] === '4').length >= 3);
    const frames = c.frames().filter((f) => f[0] === '4' || f[0] === '87');
    // processErrorMsg: version, id, code, message, [advancedOrderRejectJson >= 166]
    const advanced = sv >= 166 ? [''] : [];
    expect(frames).toEqual([
      ['4', '2', '41', '321', "Error validating request.-'reqHistoricalNews' : cause - reqHistoricalNews is not supported by the simulator", ...advanced],
      // processHistoricalNewsEndMsg: reqId, hasMore
      ['87', '41', '0'],
      ['4', '2', '42', '321', "Error validating request.-'reqFundamentalData' : cause - reqFundamentalData is not supported by the simulator", ...advanced],
      ['4', '2', '-1', '321', "Error validating request.-'reqNewsProviders' : cause - reqNewsProviders is not supported by the simulator", ...advanced],
    ]);
  });
});
