import { describe, expect, it } from 'vitest';
import type { Execution, SimOrder } from '../../src/sim/broker/types.ts';
import { DEFAULT_INSTRUMENTS, type Instrument } from '../../src/instruments/instruments.ts';
import { InstrumentCatalogue } from '../../src/instruments/catalogue.ts';
import { writeAccountDownloadEnd, writeAccountSummary, writeAccountSummaryEnd, writeAccountUpdateTime, writeAccountValue, writePortfolioValue, writePosition, writePositionEnd } from '../../src/sim/protocol/outgoing/account.ts';
import { writeContractDetails, writeContractDetailsEnd } from '../../src/sim/protocol/outgoing/contracts.ts';
import { writeCommissionReport, writeExecDetails, writeExecDetailsEnd } from '../../src/sim/protocol/outgoing/executions.ts';
import { writeHistoricalData, writeHistoricalDataUpdate } from '../../src/sim/protocol/outgoing/historical.ts';
import { TICK, writeMarketDataType, writeTickPriceFixed, writeTickSize, writeTickSnapshotEnd } from '../../src/sim/protocol/outgoing/marketData.ts';
import { writeOpenOrder, writeOpenOrderEnd, writeOrderStatus } from '../../src/sim/protocol/outgoing/orders.ts';
import { writeCurrentTime, writeError, writeManagedAccounts, writeNextValidId } from '../../src/sim/protocol/outgoing/system.ts';
import { MAX_SUPPORTED_SERVER_VERSION, MIN_SUPPORTED_SERVER_VERSION } from '../../src/sim/protocol/serverVersions.ts';
import { decodeWithClient } from './wireCodec.ts';

const catalogue = new InstrumentCatalogue(DEFAULT_INSTRUMENTS);
const ES = catalogue.bySymbolName('ES') as Instrument;
const ZN = catalogue.bySymbolName('ZN') as Instrument;
const VERSIONS = Array.from({ length: MAX_SUPPORTED_SERVER_VERSION - MIN_SUPPORTED_SERVER_VERSION + 1 }, (_, i) => i + MIN_SUPPORTED_SERVER_VERSION);

function sampleOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  return {
    orderId: 17, clientId: 3, account: 'DU1234567', instrument: ES, action: 'BUY', totalQuantity: 5, orderType: 'LMT',
    lmtPrice: 5900.25, auxPrice: undefined, tif: 'GTC', orderRef: 'strat-42', whatIf: false, outsideRth: true, parentId: 0,
    ocaGroup: '', permId: 1000007, status: 'Submitted', filled: 2, avgFillPrice: 5900.125, lastFillPrice: 5900.25,
    triggered: false, resting: true, ...overrides,
  };
}

const execution: Execution = {
  execId: '00000001.0000002a.01.01', orderId: 17, permId: 1000007, clientId: 3, account: 'DU1234567', orderRef: 'strat-42',
  symbol: 'ES', conId: ES.conId, exchange: 'CME', side: 'BOT', qty: 2, price: 5900.25, time: Date.UTC(2026, 10, 24, 14, 30),
  cumQty: 2, avgPrice: 5900.25, commission: 4.5, currency: 'USD', realizedPnl: undefined,
};

function only(sv: number, write: Parameters<typeof decodeWithClient>[1]) {
  const outcome = decodeWithClient(sv, write);
  expect(outcome.errors, `server version ${sv}`).toEqual([]);
  return outcome.events.filter((e) => e.name !== 'result' && e.name !== 'all');
}

describe.each(VERSIONS)('every outgoing message decodes exactly at server version %i', (sv) => {
  it('orders: orderStatus, openOrder (plain and whatIf), openOrderEnd', () => {
    const events = only(sv, (w) => {
      writeOrderStatus(w, sv, sampleOrder());
      writeOpenOrder(w, sv, sampleOrder(), { status: 'Submitted' });
      writeOpenOrder(w, sv, sampleOrder({ whatIf: true, status: 'PreSubmitted', orderType: 'STP LMT', auxPrice: 5899 }), {
        status: 'PreSubmitted',
        margins: { initMarginBefore: 0, maintMarginBefore: 0, equityWithLoanBefore: 1e6, initMarginAfter: 110000, maintMarginAfter: 100000, equityWithLoanAfter: 999988.75, commission: 11.25 },
      });
      writeOpenOrderEnd(w);
    });
    expect(events.map((e) => e.name)).toEqual(['orderStatus', 'openOrder', 'openOrder', 'openOrderEnd']);
    expect(events[0]?.args.slice(0, 9)).toEqual([17, 'Submitted', 2, 3, 5900.125, 1000007, 0, 5900.25, 3]);
    const [id, contract, o, state] = events[1]?.args as [number, any, any, any];
    expect(id).toBe(17);
    expect(contract).toMatchObject({ conId: ES.conId, symbol: 'ES', secType: 'FUT', multiplier: 50, exchange: 'CME', localSymbol: 'ESH7', tradingClass: 'ES' });
    expect(o).toMatchObject({ action: 'BUY', totalQuantity: 5, orderType: 'LMT', lmtPrice: 5900.25, tif: 'GTC', orderRef: 'strat-42', clientId: 3, permId: 1000007, account: 'DU1234567', outsideRth: true, whatIf: false });
    expect(o.auxPrice).toBeUndefined();
    expect(state.status).toBe('Submitted');
    const [, , whatIfOrder, whatIfState] = events[2]?.args as [number, any, any, any];
    expect(whatIfOrder).toMatchObject({ whatIf: true, orderType: 'STP LMT', auxPrice: 5899 });
    expect(whatIfState).toMatchObject({ status: 'PreSubmitted', initMarginAfter: 110000, maintMarginAfter: 100000, commission: 11.25, commissionCurrency: 'USD' });
  });

  it('executions: execDetails, commissionReport, execDetailsEnd', () => {
    const events = only(sv, (w) => {
      writeExecDetails(w, sv, 9, execution, ES);
      writeCommissionReport(w, execution);
      writeCommissionReport(w, { ...execution, realizedPnl: -120.5 });
      writeExecDetailsEnd(w, 9);
    });
    expect(events.map((e) => e.name)).toEqual(['execDetails', 'commissionReport', 'commissionReport', 'execDetailsEnd']);
    const [reqId, contract, exec] = events[0]?.args as [number, any, any];
    expect(reqId).toBe(9);
    expect(contract).toMatchObject({ conId: ES.conId, symbol: 'ES', localSymbol: 'ESH7' });
    expect(exec).toMatchObject({ orderId: 17, execId: execution.execId, acctNumber: 'DU1234567', side: 'BOT', shares: 2, price: 5900.25, permId: 1000007, clientId: 3, cumQty: 2, avgPrice: 5900.25, orderRef: 'strat-42' });
    expect(events[1]?.args[0]).toMatchObject({ execId: execution.execId, commission: 4.5, currency: 'USD', realizedPNL: undefined });
    expect(events[2]?.args[0]).toMatchObject({ realizedPNL: -120.5 });
  });

  it('account: values, portfolio, positions, summary', () => {
    const events = only(sv, (w) => {
      writeAccountValue(w, 'NetLiquidation', '1000000', 'USD', 'DU1');
      writePortfolioValue(w, { instrument: ZN, position: -3, marketPrice: 110.515625, marketValue: -331546.875, averageCost: 110500, unrealizedPnl: -46.88, realizedPnl: 0, account: 'DU1' });
      writeAccountUpdateTime(w, '14:30');
      writeAccountDownloadEnd(w, 'DU1');
      writePosition(w, 'DU1', ZN, -3, 110500);
      writePositionEnd(w);
      writeAccountSummary(w, 4, 'DU1', 'NetLiquidation', '1000000', 'USD');
      writeAccountSummaryEnd(w, 4);
    });
    expect(events.map((e) => e.name)).toEqual(['updateAccountValue', 'updatePortfolio', 'updateAccountTime', 'accountDownloadEnd', 'position', 'positionEnd', 'accountSummary', 'accountSummaryEnd']);
    expect(events[1]?.args.slice(1, 4)).toEqual([-3, 110.515625, -331546.87]);
    expect(events[4]?.args).toEqual(['DU1', expect.objectContaining({ symbol: 'ZN', conId: ZN.conId, multiplier: 1000 }), -3, 110500]);
  });

  it('contracts, market data and history', () => {
    const events = only(sv, (w) => {
      writeContractDetails(w, sv, 5, ZN, { tradingHours: '20261207:1700-20261208:1600', liquidHours: '20261208:0830-20261208:1515', marketRuleId: 221 });
      writeContractDetailsEnd(w, 5);
      writeMarketDataType(w, 6);
      writeTickPriceFixed(w, 6, TICK.LAST, 7073 * ZN.tickUnits, ZN.priceDecimals, 3);
      writeTickSize(w, 6, TICK.VOLUME, 1234);
      writeTickSnapshotEnd(w, 6);
      writeHistoricalData(w, sv, 8, '20261123 14:30:00 UTC', '20261124 14:30:00 UTC', [
        { date: '20261124 14:29:00 UTC', open: 110.5, high: 110.53125, low: 110.484375, close: 110.515625, volume: 10, wap: 110.5, count: 3 },
      ]);
      const u = ZN.tickUnits;
      writeHistoricalDataUpdate(w, 8, 4, '1790000000', { open: 7072 * u, close: 7073 * u, high: 7074 * u, low: 7071 * u }, ZN.priceDecimals, 12);
    });
    expect(events.map((e) => e.name)).toEqual(['contractDetails', 'contractDetailsEnd', 'marketDataType', 'tickPrice', 'tickSize', 'tickSize', 'tickSnapshotEnd', 'historicalData', 'historicalData', 'historicalDataUpdate']);
    // reqId, time, open, high, low, close, volume, count, WAP
    expect(events[9]?.args).toEqual([8, '1790000000', 110.5, 110.53125, 110.484375, 110.515625, 12, 4, 110.515625]);
    const [reqId, details] = events[0]?.args as [number, any];
    expect(reqId).toBe(5);
    expect(details).toMatchObject({ minTick: 0.015625, marketName: 'ZN', longName: '10-Year T-Note', priceMagnifier: 1 });
    expect(details.contract).toMatchObject({ symbol: 'ZN', secType: 'FUT', lastTradeDateOrContractMonth: '20270319', exchange: 'CBOT', currency: 'USD', localSymbol: 'ZN   MAR 27', conId: ZN.conId, multiplier: 1000 });
    expect(events[3]?.args.slice(0, 3)).toEqual([6, TICK.LAST, 110.515625]);
    expect(events[4]?.args).toEqual([6, TICK.LAST_SIZE, 3]);
    expect(events[5]?.args).toEqual([6, TICK.VOLUME, 1234]);
    expect(events[7]?.args.slice(0, 7)).toEqual([8, '20261124 14:29:00 UTC', 110.5, 110.53125, 110.484375, 110.515625, 10]);
    expect(String(events[8]?.args[1])).toMatch(/^finished/);
  });

  it('system: error (with and without id), nextValidId, managedAccounts, currentTime', () => {
    const events = only(sv, (w) => {
      writeError(w, sv, -1, 2104, 'Market data farm connection is OK:usfarm');
      writeNextValidId(w, 42);
      writeManagedAccounts(w, ['DU1', 'DU2']);
      writeCurrentTime(w, 1_790_000_000);
    });
    expect(events.map((e) => e.name)).toEqual(['info', 'nextValidId', 'managedAccounts', 'currentTime']);
    expect(events[0]?.args).toEqual(['Market data farm connection is OK:usfarm', 2104]);
  });
});

describe('order rejection errors carry the order id', () => {
  it.each([100, 193])('at server version %i', (sv) => {
    const outcome = decodeWithClient(sv, (w) => writeError(w, sv, 17, 201, 'Order rejected - reason:test'));
    expect(outcome.errors).toEqual([{ message: 'Order rejected - reason:test', code: 201 }]);
  });
});
