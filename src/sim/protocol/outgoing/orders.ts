import type { MarginFigures, SimOrder } from '../../broker/types.ts';
import type { FrameWriter } from '../frameWriter.ts';
import { OUT } from '../messageIds.ts';
import { writeContractHead } from './contractFields.ts';
import { SV } from '../serverVersions.ts';

/**
 * The OPEN_ORDER message version TWS sends before ORDER_CONTAINER (from there on the decoder uses the
 * server version instead). Every message-version gate in EOrderDecoder is <= 34, so only server-version
 * gates decide the layout: gate on `sv`, never on this number.
 */
const OPEN_ORDER_MSG_VERSION = 34;
const ORDER_STATUS_MSG_VERSION = 6;

export function writeOrderStatus(w: FrameWriter, sv: number, o: SimOrder): void {
  w.begin(OUT.ORDER_STATUS);
  if (sv < SV.MARKET_CAP_PRICE) w.int(ORDER_STATUS_MSG_VERSION);
  w.int(o.orderId)
    .str(o.status)
    .num(o.filled)
    .num(o.totalQuantity - o.filled)
    .num(o.avgFillPrice)
    .int(o.permId)
    .int(o.parentId)
    .num(o.lastFillPrice)
    .int(o.clientId)
    .empty(); // whyHeld
  if (sv >= SV.MARKET_CAP_PRICE) w.int(0);
  w.end();
}

export interface OpenOrderState {
  status: string;
  /** Present for whatIf answers. */
  margins?: MarginFigures;
  commissionCurrency?: string;
}

/**
 * OPEN_ORDER. Field order and version gates follow the client's EOrderDecoder exactly; fields the
 * simulator does not model are sent as TWS sends them when unset (empty, 0 or false).
 */
export function writeOpenOrder(w: FrameWriter, sv: number, o: SimOrder, state: OpenOrderState): void {
  const i = o.instrument;
  w.begin(OUT.OPEN_ORDER);
  if (sv < SV.ORDER_CONTAINER) w.int(OPEN_ORDER_MSG_VERSION);
  w.int(o.orderId);
  // contract
  writeContractHead(w, i);
  w.num(i.multiplier).str(i.exchange).str(i.currency).str(i.localSymbol).str(i.tradingClass);
  // main order fields
  w.str(o.action).num(o.totalQuantity).str(o.orderType).num(o.lmtPrice).num(o.auxPrice).str(o.tif);
  w.str(o.ocaGroup).str(o.account).str('').int(0).str(o.orderRef).int(o.clientId).int(o.permId);
  w.bool(o.outsideRth).int(0).int(0).empty(); // outsideRth, hidden, discretionaryAmt, goodAfterTime
  w.empty(); // deprecated sharesAllocation
  w.empty().empty().empty(); // faGroup, faMethod, faPercentage
  if (sv < SV.FA_PROFILE_DESUPPORT) w.empty(); // faProfile
  // IB's decoder (EOrderDecoder.readModelCode / orderdecoder.py decodeModelCode) gates modelCode on the
  // server version: at 103..144, where the message version is 34, it is still on the wire.
  if (sv >= SV.MODELS_SUPPORT) w.empty(); // modelCode
  w.empty().empty().empty().empty(); // goodTillDate, rule80A, percentOffset, settlingFirm
  w.int(0).empty().int(-1); // shortSaleSlot, designatedLocation, exemptCode
  w.int(0); // auctionStrategy
  w.empty().empty().empty(); // startingPrice, stockRefPrice, delta
  w.empty().empty(); // stockRangeLower, stockRangeUpper
  w.empty(); // displaySize
  w.bool(false).bool(false).bool(false); // blockOrder, sweepToFill, allOrNone
  w.empty().int(0); // minQty, ocaType
  w.bool(false).bool(false).empty(); // eTradeOnly, firmQuoteOnly, nbboPriceCap
  w.int(o.parentId).int(0); // parentId, triggerMethod
  // volatility order params (no delta-neutral order type, so its dependent fields are absent)
  w.empty().int(0).empty().empty().int(0).int(0);
  w.empty().empty(); // trailStopPrice, trailingPercent
  w.empty().empty(); // basisPoints, basisPointsType
  w.empty().int(0).int(0); // comboLegsDescription, comboLegs count, orderComboLegs count
  w.int(0); // smartComboRoutingParams count
  w.empty().empty().empty(); // scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement
  w.empty(); // hedgeType
  w.bool(false); // optOutSmartRouting
  w.empty().empty(); // clearingAccount, clearingIntent
  w.bool(false); // notHeld
  w.bool(false); // deltaNeutralContract present
  w.empty(); // algoStrategy
  w.bool(false); // solicited
  writeWhatIfAndState(w, sv, o, state);
  w.bool(false).bool(false); // randomizeSize, randomizePrice
  if (sv >= SV.PEGGED_TO_BENCHMARK) {
    w.int(0); // conditions count
    w.empty().empty().empty().empty().empty().empty().empty().int(0); // adjusted order params
  }
  if (sv >= SV.SOFT_DOLLAR_TIER) w.empty().empty().empty();
  if (sv >= SV.CASH_QTY) w.empty();
  if (sv >= SV.AUTO_PRICE_FOR_HEDGE) w.bool(false);
  if (sv >= SV.ORDER_CONTAINER) w.bool(false);
  if (sv >= SV.D_PEG_ORDERS) w.bool(false);
  if (sv >= SV.PRICE_MGMT_ALGO) w.bool(false);
  if (sv >= SV.DURATION) w.empty();
  if (sv >= SV.POST_TO_ATS) w.empty();
  if (sv >= SV.AUTO_CANCEL_PARENT) w.bool(false);
  if (sv >= SV.PEGBEST_PEGMID_OFFSETS) w.empty().empty().empty().empty().empty();
  if (sv >= SV.CUSTOMER_ACCOUNT) w.empty();
  if (sv >= SV.PROFESSIONAL_CUSTOMER) w.bool(false);
  if (sv >= SV.BOND_ACCRUED_INTEREST) w.empty();
  if (sv >= SV.INCLUDE_OVERNIGHT) w.bool(false);
  if (sv >= SV.CME_TAGGING_FIELDS_IN_OPEN_ORDER) w.empty().empty();
  w.end();
}

function writeWhatIfAndState(w: FrameWriter, sv: number, o: SimOrder, state: OpenOrderState): void {
  const m = state.margins;
  w.bool(o.whatIf).str(state.status);
  if (sv >= SV.WHAT_IF_EXT_FIELDS) {
    if (m) {
      w.num(m.initMarginBefore).num(m.maintMarginBefore).num(m.equityWithLoanBefore);
      w.num(m.initMarginAfter - m.initMarginBefore)
        .num(m.maintMarginAfter - m.maintMarginBefore)
        .num(m.equityWithLoanAfter - m.equityWithLoanBefore);
    } else {
      w.empty().empty().empty().empty().empty().empty();
    }
  }
  if (m) {
    w.num(m.initMarginAfter).num(m.maintMarginAfter).num(m.equityWithLoanAfter);
    w.num(m.commission).num(m.commission).num(m.commission);
  } else {
    w.empty().empty().empty().empty().empty().empty();
  }
  w.str(m ? (state.commissionCurrency ?? 'USD') : '').empty(); // commissionCurrency, warningText
}

export function writeOpenOrderEnd(w: FrameWriter): void {
  w.begin(OUT.OPEN_ORDER_END).int(1).end();
}
