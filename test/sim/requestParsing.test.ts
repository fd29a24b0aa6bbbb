import { BarSizeSetting, WhatToShow, OrderAction, OrderType, SecType, type Contract, type Order } from '@stoqey/ib';
import { describe, expect, it } from 'vitest';
import { parseContractDetailsRequest, parseExecutionsRequest, parseHistoricalDataRequest, parseMarketDataRequest } from '../../src/sim/protocol/incoming/dataRequests.ts';
import { parseCancelOrder, parsePlaceOrder } from '../../src/sim/protocol/incoming/orderRequests.ts';
import { IN } from '../../src/sim/protocol/messageIds.ts';
import { MAX_SUPPORTED_SERVER_VERSION, MIN_SUPPORTED_SERVER_VERSION } from '../../src/sim/protocol/serverVersions.ts';
import { encodeWithClient } from './wireCodec.ts';

const VERSIONS = Array.from({ length: MAX_SUPPORTED_SERVER_VERSION - MIN_SUPPORTED_SERVER_VERSION + 1 }, (_, i) => i + MIN_SUPPORTED_SERVER_VERSION);
const ES: Contract = { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202703' };

/** Orders exercising the optional groups that shift field positions before whatIf. */
const ORDERS: { name: string; order: Order }[] = [
  { name: 'plain limit', order: { action: OrderAction.BUY, totalQuantity: 3, orderType: OrderType.LMT, lmtPrice: 5900.25, tif: 'GTC', orderRef: 'ref-a', account: 'DU1', transmit: true } },
  { name: 'stop limit with hedge, algo, delta-neutral and scale fields', order: { action: OrderAction.SELL, totalQuantity: 1, orderType: OrderType.STP_LMT, lmtPrice: 5890, auxPrice: 5891, tif: 'DAY', orderRef: 'ref-b', hedgeType: 'D', hedgeParam: '0.5', algoStrategy: 'Adaptive', algoParams: [{ tag: 'adaptivePriority', value: 'Normal' }], deltaNeutralOrderType: 'LMT', deltaNeutralAuxPrice: 1, scalePriceIncrement: 0.25, algoId: 'ALGO-ID', transmit: true } },
];

describe.each(VERSIONS)('client requests encoded by @stoqey/ib parse at server version %i', (sv) => {
  it.each(ORDERS.flatMap(({ name, order }) => [true, false].map((whatIf) => ({ name, order: { ...order, whatIf } }))))('placeOrder: $name (whatIf $order.whatIf)', ({ order }) => {
    const { messageId, reader } = encodeWithClient(sv, (e) => e.placeOrder(41, ES, order));
    expect(messageId).toBe(IN.PLACE_ORDER);
    const parsed = parsePlaceOrder(reader, sv);
    expect(parsed).toMatchObject({
      orderId: 41,
      action: order.action,
      totalQuantity: order.totalQuantity,
      orderType: order.orderType,
      lmtPrice: order.lmtPrice,
      auxPrice: order.auxPrice,
      tif: order.tif,
      orderRef: order.orderRef,
      whatIf: order.whatIf,
    });
    expect(parsed.contract).toMatchObject({ symbol: 'ES', secType: 'FUT', exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202703' });
  });

  it('cancelOrder', () => {
    const { messageId, reader } = encodeWithClient(sv, (e) => e.cancelOrder(77, { manualOrderCancelTime: '', extOperator: '', manualOrderIndicator: undefined } as never));
    expect(messageId).toBe(IN.CANCEL_ORDER);
    expect(parseCancelOrder(reader, sv)).toBe(77);
  });

  it('market data, contract details, history, executions', () => {
    const mkt = encodeWithClient(sv, (e) => e.reqMktData(5, ES, '233', true, false));
    expect(mkt.messageId).toBe(IN.REQ_MKT_DATA);
    expect(parseMarketDataRequest(mkt.reader)).toMatchObject({ reqId: 5, genericTickList: '233', snapshot: true, contract: { symbol: 'ES' } });

    const cd = encodeWithClient(sv, (e) => e.reqContractDetails(6, { symbol: 'ZN', secType: SecType.FUT }));
    expect(cd.messageId).toBe(IN.REQ_CONTRACT_DATA);
    expect(parseContractDetailsRequest(cd.reader)).toMatchObject({ reqId: 6, contract: { symbol: 'ZN', secType: 'FUT' } });

    const hist = encodeWithClient(sv, (e) => e.reqHistoricalData(7, ES, '20261124 10:00:00', '2 D', BarSizeSetting.HOURS_ONE, WhatToShow.TRADES, 1, 1, false));
    expect(hist.messageId).toBe(IN.REQ_HISTORICAL_DATA);
    expect(parseHistoricalDataRequest(hist.reader, sv)).toMatchObject({ reqId: 7, endDateTime: '20261124 10:00:00', durationStr: '2 D', barSizeSetting: '1 hour', whatToShow: 'TRADES', useRTH: true, formatDate: 1, keepUpToDate: false });

    const ex = encodeWithClient(sv, (e) => e.reqExecutions(8, { clientId: 3, acctCode: 'DU1', time: '20261124-09:00:00', symbol: 'ES', secType: 'FUT', exchange: 'CME', side: 'BUY' } as never));
    expect(ex.messageId).toBe(IN.REQ_EXECUTIONS);
    expect(parseExecutionsRequest(ex.reader)).toEqual({ reqId: 8, clientId: 3, acctCode: 'DU1', time: '20261124-09:00:00', symbol: 'ES', secType: 'FUT', exchange: 'CME', side: 'BUY' });
  });
});
