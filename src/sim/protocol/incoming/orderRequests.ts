import type { ContractQuery } from '../../../instruments/catalogue.ts';
import type { FieldReader } from '../fieldReader.ts';
import { SV } from '../serverVersions.ts';
import { isBag, readContract } from './contractFields.ts';

export interface PlaceOrderMessage {
  orderId: number;
  contract: ContractQuery;
  action: string;
  totalQuantity: number | undefined;
  orderType: string;
  lmtPrice: number | undefined;
  auxPrice: number | undefined;
  tif: string;
  ocaGroup: string;
  account: string;
  orderRef: string;
  parentId: number;
  outsideRth: boolean;
  whatIf: boolean;
}

/**
 * PLACE_ORDER as encoded by EClient at v100+. Fields after `whatIf` are not needed and are left
 * unread; everything before it is walked in order, including the conditional groups, so that
 * `whatIf` is found at the right position whatever optional features the client used.
 */
export function parsePlaceOrder(r: FieldReader, sv: number): PlaceOrderMessage {
  if (sv < SV.ORDER_CONTAINER) r.int('version');
  const orderId = r.int('orderId');
  const contract = readContract(r);
  r.skip(2, 'secIdType/secId');
  const action = r.str('action').toUpperCase();
  const totalQuantity = r.optNum('totalQuantity');
  const orderType = r.str('orderType').toUpperCase();
  const lmtPrice = r.optNum('lmtPrice');
  const auxPrice = r.optNum('auxPrice');
  const tif = r.str('tif').toUpperCase();
  const ocaGroup = r.str('ocaGroup');
  const account = r.str('account');
  r.skip(2, 'openClose/origin');
  const orderRef = r.str('orderRef');
  r.str('transmit');
  const parentId = r.int('parentId');
  r.skip(4, 'blockOrder/sweepToFill/displaySize/triggerMethod');
  const outsideRth = r.bool('outsideRth');
  r.str('hidden');
  if (isBag(contract)) skipComboLegs(r);
  r.skip(4, 'sharesAllocation/discretionaryAmt/goodAfterTime/goodTillDate');
  r.skip(3, 'faGroup/faMethod/faPercentage');
  if (sv < SV.FA_PROFILE_DESUPPORT) r.str('faProfile');
  if (sv >= SV.MODELS_SUPPORT) r.str('modelCode');
  r.skip(3, 'shortSaleSlot/designatedLocation/exemptCode');
  r.skip(15, 'ocaType..stockRangeUpper');
  r.str('overridePercentageConstraints');
  r.skip(2, 'volatility/volatilityType');
  const deltaNeutralOrderType = r.str('deltaNeutralOrderType');
  r.str('deltaNeutralAuxPrice');
  if (deltaNeutralOrderType !== '') r.skip(8, 'delta-neutral order fields');
  r.skip(2, 'continuousUpdate/referencePriceType');
  r.skip(2, 'trailStopPrice/trailingPercent');
  r.skip(2, 'scaleInitLevelSize/scaleSubsLevelSize');
  if (r.str('scalePriceIncrement') !== '') r.skip(7, 'scale order fields');
  r.skip(3, 'scaleTable/activeStartTime/activeStopTime');
  if (r.str('hedgeType') !== '') r.str('hedgeParam');
  r.str('optOutSmartRouting');
  r.skip(2, 'clearingAccount/clearingIntent');
  r.str('notHeld');
  if (r.bool('deltaNeutralContract')) r.skip(3, 'deltaNeutralContract fields');
  if (r.str('algoStrategy') !== '') {
    const count = r.int('algoParams count');
    r.skip(count * 2, 'algoParams');
  }
  r.str('algoId');
  const whatIf = r.bool('whatIf');
  return {
    orderId,
    contract,
    action,
    totalQuantity,
    orderType,
    lmtPrice,
    auxPrice,
    tif,
    ocaGroup,
    account,
    orderRef,
    parentId,
    outsideRth,
    whatIf,
  };
}

function skipComboLegs(r: FieldReader): void {
  const legs = r.int('comboLegs count');
  r.skip(legs * 8, 'comboLegs');
  const prices = r.int('orderComboLegs count');
  r.skip(prices, 'orderComboLegs');
  const params = r.int('smartComboRoutingParams count');
  r.skip(params * 2, 'smartComboRoutingParams');
}

export function parseCancelOrder(r: FieldReader, sv: number): number {
  if (sv < SV.CME_TAGGING_FIELDS) r.int('version');
  return r.int('orderId');
}
