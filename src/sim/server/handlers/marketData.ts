import { generateBars } from '../../market/historicalBars.ts';
import { checkBarRequest } from '../../market/barRequest.ts';
import { barSlots } from '../../market/barSlots.ts';
import type { Instrument } from '../../../instruments/instruments.ts';
import { ERR, MSG } from '../../protocol/errorCodes.ts';
import type { FieldReader } from '../../protocol/fieldReader.ts';
import {
  parseContractDetailsRequest,
  parseHistoricalDataRequest,
  parseMarketDataRequest,
} from '../../protocol/incoming/dataRequests.ts';
import { writeContractDetails, writeContractDetailsEnd } from '../../protocol/outgoing/contracts.ts';
import { writeHistoricalData, writeHistoricalDataUpdate } from '../../protocol/outgoing/historical.ts';
import { LiveBar } from '../../market/liveBar.ts';
import { formatTwsDateTime } from '../../protocol/handshake.ts';
import { TICK, writeMarketDataType, writeTickPriceFixed, writeTickSize, writeTickSnapshotEnd } from '../../protocol/outgoing/marketData.ts';
import type { FrameWriter } from '../../protocol/frameWriter.ts';
import type { SimContext } from '../context.ts';
import { contractProblem } from '../contractProblem.ts';
import { marketRuleIdOf } from './startup.ts';
import type { Session } from '../session.ts';

export function handleReqContractDetails(session: Session, ctx: SimContext, r: FieldReader): void {
  const { reqId, contract } = parseContractDetailsRequest(r);
  const matches = ctx.catalogue.match(contract);
  if (matches.length === 0) return session.sendError(reqId, ERR.NO_SECURITY_DEFINITION, MSG.noSecurityDefinition);
  const now = ctx.clock.now();
  for (const instrument of matches) {
    writeContractDetails(session.out, session.serverVersion, reqId, instrument, {
      tradingHours: ctx.catalogue.tradingHours(instrument, now),
      liquidHours: ctx.catalogue.liquidHours(instrument, now),
      marketRuleId: marketRuleIdOf(ctx.catalogue.products[instrument.index] ?? instrument),
    });
  }
  writeContractDetailsEnd(session.out, reqId);
}

export function handleReqMarketData(session: Session, ctx: SimContext, r: FieldReader): void {
  const request = parseMarketDataRequest(r);
  const instrument = ctx.catalogue.resolve(request.contract);
  if (!instrument) return session.sendError(request.reqId, ERR.NO_SECURITY_DEFINITION, contractProblem(ctx, request.contract));
  writeMarketDataType(session.out, request.reqId);
  if (!ctx.faults.dataFarmBroken && !ctx.faults.connectivityLost && ctx.catalogue.isOpen(instrument)) {
    writeQuote(session.out, ctx, request.reqId, instrument);
    writeTickPriceFixed(session.out, request.reqId, TICK.CLOSE, ctx.feed.priceTicks(instrument.index) * instrument.tickUnits, instrument.priceDecimals, 0);
  }
  if (request.snapshot) return writeTickSnapshotEnd(session.out, request.reqId);
  session.marketData.set(request.reqId, instrument);
}

export function handleCancelMarketData(session: Session, r: FieldReader): void {
  r.int('version');
  const reqId = r.int('reqId');
  if (!session.marketData.delete(reqId)) session.sendError(reqId, ERR.NO_MARKET_DATA_SUBSCRIPTION, MSG.noMarketDataSubscription(reqId));
}

/** Bid, ask and last (each carrying its size) plus cumulative volume: the per-step tick burst. */
export function writeQuote(w: FrameWriter, ctx: SimContext, tickerId: number, instrument: Instrument): void {
  const i = instrument.index;
  const last = ctx.feed.priceTicks(i) * instrument.tickUnits;
  const spread = instrument.tickUnits;
  const decimals = instrument.priceDecimals;
  writeTickPriceFixed(w, tickerId, TICK.BID, last - spread, decimals, 10);
  writeTickPriceFixed(w, tickerId, TICK.ASK, last + spread, decimals, 10);
  writeTickPriceFixed(w, tickerId, TICK.LAST, last, decimals, ctx.feed.lastSize[i] as number);
  writeTickSize(w, tickerId, TICK.VOLUME, ctx.feed.volume[i] as number);
}

/** Bars as IB's HMDS serves them for futures: its checks and error texts, aligned bars, only in trading sessions. */
export function handleReqHistoricalData(session: Session, ctx: SimContext, r: FieldReader): void {
  const request = parseHistoricalDataRequest(r, session.serverVersion);
  const instrument = ctx.catalogue.resolve(request.contract);
  if (!instrument) return session.sendError(request.reqId, ERR.NO_SECURITY_DEFINITION, contractProblem(ctx, request.contract));
  const checked = checkBarRequest(request, instrument, ctx.clock.now());
  if (!checked.ok) return session.sendError(request.reqId, checked.code, checked.text);
  const spec = checked.spec;
  const slots = barSlots(spec, (fromMs, toMs) => ctx.catalogue.sessionsBetween(instrument, fromMs, toMs), instrument.timeZoneId);
  const bars = generateBars(instrument, ctx.feed.price(instrument), spec, slots, ctx.config.seed, ctx.config.volatility);
  writeHistoricalData(session.out, session.serverVersion, request.reqId, formatTwsDateTime(spec.startMs), formatTwsDateTime(spec.endMs), bars);
  if (request.keepUpToDate) session.liveBars.set(request.reqId, new LiveBar(instrument, spec.barSeconds, request.formatDate));
}

export function handleCancelHistoricalData(session: Session, r: FieldReader): void {
  r.int('version');
  session.liveBars.delete(r.int('reqId'));
}

/** Folds the latest price into a keepUpToDate bar and sends the bar in progress. */
export function writeLiveBarUpdate(w: FrameWriter, ctx: SimContext, reqId: number, bar: LiveBar): void {
  const instrument = bar.instrument;
  const i = instrument.index;
  bar.update(ctx.clock.now(), ctx.feed.priceTicks(i), ctx.feed.lastSize[i] as number);
  const unit = instrument.tickUnits;
  scaledBar.open = bar.open * unit;
  scaledBar.close = bar.close * unit;
  scaledBar.high = bar.high * unit;
  scaledBar.low = bar.low * unit;
  const date = bar.formatDate === 2 ? String(bar.startSeconds) : formatTwsDateTime(bar.startSeconds * 1000);
  writeHistoricalDataUpdate(w, reqId, bar.count, date, scaledBar, instrument.priceDecimals, bar.volume);
}

/** Reused scratch object: updates are written on every price step. */
const scaledBar = { open: 0, close: 0, high: 0, low: 0 };
