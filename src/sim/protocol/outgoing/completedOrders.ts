import type { SimOrder } from '../../broker/types.ts';
import type { FrameWriter } from '../frameWriter.ts';
import { formatTwsDateTime } from '../handshake.ts';
import { OUT } from '../messageIds.ts';
import { SV } from '../serverVersions.ts';
import { writeContractHead } from './contractFields.ts';

export interface CompletedOrderState {
  /** Epoch ms the order reached its final state. */
  completedAt: number;
  /** OrderState.completedStatus text, e.g. "Filled" or "Cancelled by Trader". */
  completedStatus: string;
}

/**
 * COMPLETED_ORDER. No message version: IB's decoders build their order decoder with the "unset"
 * version (Integer.MAX_VALUE), so only server-version gates apply. Field order follows
 * processCompletedOrderMsg in IB's decoder.py / EDecoder.java, which differs from openOrder: no
 * orderId, clientId, sharesAllocation, auctionStrategy, blockOrder, eTradeOnly/firmQuoteOnly/
 * nbboPriceCap, parentId, basisPoints, optOutSmartRouting, whatIf or margin figures, and it ends
 * with the completion fields. Unmodelled fields go out as TWS sends them unset.
 */
export function writeCompletedOrder(w: FrameWriter, sv: number, o: SimOrder, state: CompletedOrderState): void {
  const i = o.instrument;
  w.begin(OUT.COMPLETED_ORDER);
  // decodeContractFields
  writeContractHead(w, i);
  w.num(i.multiplier).str(i.exchange).str(i.currency).str(i.localSymbol).str(i.tradingClass);
  // action, totalQuantity, orderType, lmtPrice, auxPrice, tif, ocaGroup, account
  w.str(o.action).num(o.totalQuantity).str(o.orderType).num(o.lmtPrice).num(o.auxPrice).str(o.tif);
  w.str(o.ocaGroup).str(o.account);
  w.empty().int(0).str(o.orderRef).int(o.permId); // openClose, origin (0 = customer), orderRef, permId
  w.bool(o.outsideRth).bool(false).int(0).empty(); // outsideRth, hidden, discretionaryAmt, goodAfterTime
  w.empty().empty().empty(); // faGroup, faMethod, faPercentage
  if (sv < SV.FA_PROFILE_DESUPPORT) w.empty(); // faProfile
  if (sv >= SV.MODELS_SUPPORT) w.empty(); // modelCode
  w.empty().empty().empty().empty(); // goodTillDate, rule80A, percentOffset, settlingFirm
  w.int(0).empty().int(-1); // shortSaleSlot, designatedLocation, exemptCode
  w.empty().empty().empty(); // startingPrice, stockRefPrice, delta
  w.empty().empty(); // stockRangeLower, stockRangeUpper
  w.empty(); // displaySize
  w.bool(false).bool(false).empty().int(0); // sweepToFill, allOrNone, minQty, ocaType
  w.int(0); // triggerMethod
  // decodeVolOrderParams(readOpenOrderAttribs = false); no delta-neutral order type, so nothing depends on it
  w.empty().int(0).empty().empty().int(0).int(0);
  w.empty().empty(); // trailStopPrice, trailingPercent
  w.empty().int(0).int(0); // comboLegsDescrip, comboLegs count, orderComboLegs count
  w.int(0); // smartComboRoutingParams count
  w.empty().empty().empty(); // scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement (unset: no scale tail)
  w.empty(); // hedgeType (empty: no hedgeParam)
  w.empty().empty(); // clearingAccount, clearingIntent
  w.bool(false); // notHeld
  w.bool(false); // deltaNeutralContract present
  w.empty(); // algoStrategy (empty: no params)
  w.bool(false); // solicited
  w.str(o.status); // orderState.status
  w.bool(false).bool(false); // randomizeSize, randomizePrice
  // pegToBench params: only for PEG BENCH orders, which the simulator does not take
  if (sv >= SV.PEGGED_TO_BENCHMARK) w.int(0); // conditions count (none: no ignoreRth/cancelOrder flags)
  w.empty().empty(); // trailStopPrice, lmtPriceOffset
  if (sv >= SV.CASH_QTY) w.empty();
  if (sv >= SV.AUTO_PRICE_FOR_HEDGE) w.bool(false); // dontUseAutoPriceForHedge
  if (sv >= SV.ORDER_CONTAINER) w.bool(false); // isOmsContainer
  w.empty().num(o.filled).int(0); // autoCancelDate, filledQuantity, refFuturesConId
  w.bool(false).empty().bool(false).bool(false); // autoCancelParent, shareholder, imbalanceOnly, routeMarketableToBbo
  w.int(0); // parentPermId
  w.str(formatTwsDateTime(state.completedAt)).str(state.completedStatus);
  if (sv >= SV.PEGBEST_PEGMID_OFFSETS) w.empty().empty().empty().empty().empty();
  if (sv >= SV.CUSTOMER_ACCOUNT) w.empty();
  if (sv >= SV.PROFESSIONAL_CUSTOMER) w.bool(false);
  // submitter: MIN_SERVER_VER_SUBMITTER is above the highest version the simulator speaks
  w.end();
}

export function writeCompletedOrdersEnd(w: FrameWriter): void {
  w.begin(OUT.COMPLETED_ORDERS_END).end();
}
