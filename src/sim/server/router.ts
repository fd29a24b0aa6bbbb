import type { FieldReader } from '../protocol/fieldReader.ts';
import { IN } from '../protocol/messageIds.ts';
import { writeCurrentTime, writeManagedAccounts, writeNextValidId } from '../protocol/outgoing/system.ts';
import type { SimContext } from './context.ts';
import {
  handleCancelPositions,
  handleReqAccountSummary,
  handleReqAccountUpdates,
  handleReqPositions,
} from './handlers/account.ts';
import {
  handleCancelHistoricalData,
  handleCancelMarketData,
  handleReqContractDetails,
  handleReqHistoricalData,
  handleReqMarketData,
} from './handlers/marketData.ts';
import {
  handleCancelOrder,
  handleGlobalCancel,
  handleOpenOrders,
  handlePlaceOrder,
  handleReqExecutions,
} from './handlers/orders.ts';
import {
  handleCancelAccountUpdatesMulti,
  handleCancelPositionsMulti,
  handleReqAccountUpdatesMulti,
  handleReqPositionsMulti,
} from './handlers/accountMulti.ts';
import { handleCancelPnl, handleReqPnl, handleReqPnlSingle } from './handlers/pnl.ts';
import {
  handleReqCompletedOrders,
  handleReqFamilyCodes,
  handleReqMarketDataType,
  handleReqMarketRule,
  handleReqSecDefOptParams,
} from './handlers/startup.ts';
import type { RequestDispatcher, Session } from './session.ts';

type Handler = (session: Session, ctx: SimContext, r: FieldReader) => void;

const noop: Handler = () => undefined;

const HANDLERS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [IN.REQ_CURRENT_TIME, (s, ctx) => writeCurrentTime(s.out, Math.floor(ctx.clock.now() / 1000))],
  [IN.REQ_IDS, (s, ctx) => writeNextValidId(s.out, ctx.broker.nextValidId(s.clientId))],
  [IN.REQ_MANAGED_ACCTS, (s, ctx) => writeManagedAccounts(s.out, ctx.accountIds)],
  [IN.SET_SERVER_LOGLEVEL, noop],
  [IN.REQ_MARKET_DATA_TYPE, handleReqMarketDataType],
  [IN.PLACE_ORDER, handlePlaceOrder],
  [IN.CANCEL_ORDER, handleCancelOrder],
  [IN.REQ_GLOBAL_CANCEL, (s, ctx) => handleGlobalCancel(s, ctx)],
  [IN.REQ_OPEN_ORDERS, (s, ctx) => handleOpenOrders(s, ctx, 'client')],
  [IN.REQ_AUTO_OPEN_ORDERS, (s, ctx) => handleOpenOrders(s, ctx, 'client')],
  [IN.REQ_ALL_OPEN_ORDERS, (s, ctx) => handleOpenOrders(s, ctx, 'all')],
  [IN.REQ_EXECUTIONS, handleReqExecutions],
  [IN.REQ_POSITIONS, (s, ctx) => handleReqPositions(s, ctx)],
  [IN.CANCEL_POSITIONS, (s) => handleCancelPositions(s)],
  [IN.REQ_ACCOUNT_SUMMARY, handleReqAccountSummary],
  [IN.CANCEL_ACCOUNT_SUMMARY, noop],
  [IN.REQ_ACCOUNT_DATA, handleReqAccountUpdates],
  [IN.REQ_CONTRACT_DATA, handleReqContractDetails],
  [IN.REQ_MKT_DATA, handleReqMarketData],
  [IN.CANCEL_MKT_DATA, (s, _ctx, r) => handleCancelMarketData(s, r)],
  [IN.REQ_HISTORICAL_DATA, handleReqHistoricalData],
  [IN.CANCEL_HISTORICAL_DATA, (s, _ctx, r) => handleCancelHistoricalData(s, r)],
  [IN.REQ_COMPLETED_ORDERS, handleReqCompletedOrders],
  [IN.REQ_ACCOUNT_UPDATES_MULTI, handleReqAccountUpdatesMulti],
  [IN.CANCEL_ACCOUNT_UPDATES_MULTI, (s, _ctx, r) => handleCancelAccountUpdatesMulti(s, r)],
  [IN.REQ_POSITIONS_MULTI, handleReqPositionsMulti],
  [IN.CANCEL_POSITIONS_MULTI, (s, _ctx, r) => handleCancelPositionsMulti(s, r)],
  [IN.REQ_PNL, handleReqPnl],
  [IN.CANCEL_PNL, (s, _ctx, r) => handleCancelPnl(s, r)],
  [IN.REQ_PNL_SINGLE, handleReqPnlSingle],
  [IN.CANCEL_PNL_SINGLE, (s, _ctx, r) => handleCancelPnl(s, r)],
  [IN.REQ_FAMILY_CODES, (s, ctx) => handleReqFamilyCodes(s, ctx)],
  [IN.REQ_MARKET_RULE, handleReqMarketRule],
  [IN.REQ_SEC_DEF_OPT_PARAMS, handleReqSecDefOptParams],
]);

/** Routes a request to its handler; false means the simulator does not implement that message id. */
export function createDispatcher(ctx: SimContext): RequestDispatcher {
  return (session, messageId, reader) => {
    const handler = HANDLERS.get(messageId);
    if (!handler) return false;
    ctx.followCalendar();
    handler(session, ctx, reader);
    return true;
  };
}
