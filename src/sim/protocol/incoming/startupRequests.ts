import type { FieldReader } from '../fieldReader.ts';

/*
 * Layouts of the requests clients send at connect and start-up, as IB's EClient writes them
 * (EClient.java / client.py). Fields after the ones read here, if any, are ignored.
 */

/** reqCompletedOrders (99): apiOnly. */
export function parseCompletedOrdersRequest(r: FieldReader): { apiOnly: boolean } {
  return { apiOnly: r.bool('apiOnly') };
}

export interface AccountUpdatesMultiRequest {
  reqId: number;
  account: string;
  modelCode: string;
  ledgerAndNLV: boolean;
}

/** reqAccountUpdatesMulti (76): version, reqId, account, modelCode, ledgerAndNLV. */
export function parseAccountUpdatesMultiRequest(r: FieldReader): AccountUpdatesMultiRequest {
  r.int('version');
  return { reqId: r.int('reqId'), account: r.str('account'), modelCode: r.str('modelCode'), ledgerAndNLV: r.bool('ledgerAndNLV') };
}

/** reqPositionsMulti (74): version, reqId, account, modelCode. */
export function parsePositionsMultiRequest(r: FieldReader): { reqId: number; account: string; modelCode: string } {
  r.int('version');
  return { reqId: r.int('reqId'), account: r.str('account'), modelCode: r.str('modelCode') };
}

/** cancelPositionsMulti (75), cancelAccountUpdatesMulti (77), cancelAccountSummary (63): version, reqId. */
export function parseVersionedCancel(r: FieldReader): { reqId: number } {
  r.int('version');
  return { reqId: r.int('reqId') };
}

/** cancelPnL (93), cancelPnLSingle (95): reqId (no version field). */
export function parseUnversionedCancel(r: FieldReader): { reqId: number } {
  return { reqId: r.int('reqId') };
}

/** reqPnL (92): reqId, account, modelCode. */
export function parsePnlRequest(r: FieldReader): { reqId: number; account: string; modelCode: string } {
  return { reqId: r.int('reqId'), account: r.str('account'), modelCode: r.str('modelCode') };
}

/** reqPnLSingle (94): reqId, account, modelCode, conId. */
export function parsePnlSingleRequest(r: FieldReader): { reqId: number; account: string; modelCode: string; conId: number } {
  return { reqId: r.int('reqId'), account: r.str('account'), modelCode: r.str('modelCode'), conId: r.int('conId') };
}

/** reqMarketDataType (59): version, marketDataType (1 live, 2 frozen, 3 delayed, 4 delayed-frozen). */
export function parseMarketDataTypeRequest(r: FieldReader): { marketDataType: number } {
  r.int('version');
  return { marketDataType: r.int('marketDataType') };
}

/** reqMarketRule (91): marketRuleId. */
export function parseMarketRuleRequest(r: FieldReader): { marketRuleId: number } {
  return { marketRuleId: r.int('marketRuleId') };
}

export interface SecDefOptParamsRequest {
  reqId: number;
  underlyingSymbol: string;
  futFopExchange: string;
  underlyingSecType: string;
  underlyingConId: number;
}

/** reqSecDefOptParams (78): reqId, underlyingSymbol, futFopExchange, underlyingSecType, underlyingConId. */
export function parseSecDefOptParamsRequest(r: FieldReader): SecDefOptParamsRequest {
  return {
    reqId: r.int('reqId'),
    underlyingSymbol: r.str('underlyingSymbol'),
    futFopExchange: r.str('futFopExchange'),
    underlyingSecType: r.str('underlyingSecType'),
    underlyingConId: r.int('underlyingConId'),
  };
}
