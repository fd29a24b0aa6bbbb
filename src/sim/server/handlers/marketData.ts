import { MAX_BARS, generateBars, parseBarSpec } from '../../market/historicalBars.ts';
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

const WHAT_TO_SHOW = new Set(['TRADES', 'MIDPOINT', 'BID', 'ASK', 'BID_ASK', 'ADJUSTED_LAST', 'HISTORICAL_VOLATILITY', 'OPTION_IMPLIED_VOLATILITY']);

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

export function handleReqHistoricalData(session: Session, ctx: SimContext, r: FieldReader): void {
  const request = parseHistoricalDataRequest(r, session.serverVersion);
  const instrument = ctx.catalogue.resolve(request.contract);
  if (!instrument) return session.sendError(request.reqId, ERR.NO_SECURITY_DEFINITION, contractProblem(ctx, request.contract));
  const fail = (detail: string) => session.sendError(request.reqId, ERR.HISTORICAL_DATA_ERROR, MSG.historicalDataError(detail));
  if (!WHAT_TO_SHOW.has(request.whatToShow.toUpperCase())) return fail(`Invalid whatToShow '${request.whatToShow}'`);
  const spec = parseBarSpec(request.barSizeSetting, request.durationStr, request.endDateTime, ctx.clock.now());
  if (!spec.ok) return fail(spec.reason);
  if (spec.durationSeconds / spec.barSeconds > MAX_BARS) return fail('Historical data request too large (too many bars)');
  if (request.keepUpToDate && request.endDateTime.trim() !== '') return fail('End date/time must be empty with keepUpToDate');
  const bars = generateBars(instrument, ctx.feed.price(instrument), spec, ctx.config.seed, ctx.config.volatility, request.formatDate);
  const start = formatTwsDateTime(spec.endMs - spec.durationSeconds * 1000);
  writeHistoricalData(session.out, session.serverVersion, request.reqId, start, formatTwsDateTime(spec.endMs), bars);
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
