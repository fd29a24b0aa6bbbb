import type { Instrument } from '../../../instruments/instruments.ts';
import { escapeNonAscii, type FrameWriter } from '../frameWriter.ts';
import { OUT } from '../messageIds.ts';
import { SV } from '../serverVersions.ts';

const CONTRACT_DATA_MSG_VERSION = 8;
const ORDER_TYPES = 'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,GAT,GTC,GTD,IOC,LIT,LMT,MIT,MKT,NONALGO,OCA,SCALE,STP,STPLMT,TRAIL,WHATIF';

/** What contract details carry beyond the instrument: the calendar's week ahead and the product's market rule. */
export interface ContractListing {
  tradingHours: string;
  liquidHours: string;
  marketRuleId: number;
}

export function writeContractDetails(w: FrameWriter, sv: number, reqId: number, i: Instrument, listing: ContractListing): void {
  w.begin(OUT.CONTRACT_DATA);
  if (sv < SV.SIZE_RULES) w.int(CONTRACT_DATA_MSG_VERSION);
  // IB sends the last trade time with the date ('20261218 08:30:00'); IB's decoder splits it into lastTradeTime.
  w.int(reqId).str(i.symbol).str('FUT').str(i.lastTradeTime ? `${i.lastTradeDateOrContractMonth} ${i.lastTradeTime}:00` : i.lastTradeDateOrContractMonth);
  if (sv >= SV.LAST_TRADE_DATE) w.str(i.lastTradeDateOrContractMonth);
  w.int(0).empty().str(i.exchange).str(i.currency).str(i.localSymbol).str(i.tradingClass); // strike, right
  w.str(i.tradingClass).int(i.conId).num(i.tickSize); // tradingClass, conId, minTick
  if (sv >= SV.MD_SIZE_MULTIPLIER && sv < SV.SIZE_RULES) w.int(1); // mdSizeMultiplier
  w.num(i.multiplier).str(ORDER_TYPES).str(i.exchange).int(i.priceMagnifier);
  w.int(0).str(sv >= SV.ENCODE_MSG_ASCII7 ? escapeNonAscii(i.longName) : i.longName).empty(); // underConId, longName, primaryExch
  w.str(i.contractMonth).empty().empty().empty(); // contractMonth, industry, category, subcategory
  w.str(i.timeZoneId).str(listing.tradingHours).str(listing.liquidHours);
  w.empty().empty(); // evRule, evMultiplier
  w.int(0); // secIdList count
  if (sv >= SV.AGG_GROUP) w.int(2147483647);
  if (sv >= SV.UNDERLYING_INFO) w.str(i.symbol).str('IND');
  if (sv >= SV.MARKET_RULES) w.str(String(listing.marketRuleId));
  if (sv >= SV.REAL_EXPIRATION_DATE) w.str(i.lastTradeDateOrContractMonth);
  if (sv >= SV.STOCK_TYPE) w.empty();
  if (sv >= SV.FRACTIONAL_SIZE_SUPPORT && sv < SV.SIZE_RULES) w.int(1); // sizeMinTick
  if (sv >= SV.SIZE_RULES) w.int(1).int(1).int(1); // minSize, sizeIncrement, suggestedSizeIncrement
  if (sv >= SV.INELIGIBILITY_REASONS) w.int(0);
  w.end();
}

export function writeContractDetailsEnd(w: FrameWriter, reqId: number): void {
  w.begin(OUT.CONTRACT_DATA_END).int(1).int(reqId).end();
}
