import { DateTime } from 'luxon';
import { ERR, MSG } from '../protocol/errorCodes.ts';
import { parseTwsDateTime } from '../protocol/twsDateTime.ts';

/**
 * reqHistoricalData's settings checked as IB checks them for futures, in IB's order, with IB's
 * codes and texts. Sources of the wordings:
 * - bar size (321): quoted in wboayue/rust-ibapi PR #245 and dshe/InterReact issue #16;
 * - durations over 365 days (321): ib-api-reloaded/ib_async issue #229; the other duration texts
 *   and the live-update texts: captures of a real gateway in a public re-implementation's tests
 *   (found with the code search, same shape as the ones above);
 * - formatDate (321): vnpy/vnpy issue #2937 ("Date formatting selection of 0 rejected");
 * - end date (10314): IB's error-code table;
 * - invalid step (162): wrighter/ib-scripts issue #1 (1 secs bars over 1 D: "invalid step: 1");
 * - too long for the bar size (162, "Time length exceed max."): quoted by several public IB clients;
 * - the step table itself: IB's "Historical Data Limitations" / step-size guide.
 */

export const VALID_BAR_SIZES = {
  '1 secs': 1, '5 secs': 5, '10 secs': 10, '15 secs': 15, '30 secs': 30,
  '1 min': 60, '2 mins': 120, '3 mins': 180, '5 mins': 300, '10 mins': 600, '15 mins': 900, '20 mins': 1_200, '30 mins': 1_800,
  '1 hour': 3_600, '2 hours': 7_200, '3 hours': 10_800, '4 hours': 14_400, '8 hours': 28_800,
  '1 day': 86_400, '1 week': 604_800, '1 month': 2_592_000,
} as const satisfies Record<string, number>;

export type BarSize = keyof typeof VALID_BAR_SIZES;
/** IB's own refusal lists weekly and monthly bars as 1W and 1M; it takes both spellings. */
const BAR_SIZE_ALIASES: Record<string, BarSize> = { '1w': '1 week', '1m': '1 month' };
const LEGAL_BAR_SIZES = '1 secs, 5 secs, 10 secs, 15 secs, 30 secs, 1 min, 2 mins, 3 mins, 5 mins, 10 mins, 15 mins, 20 mins, 30 mins, 1 hour, 2 hours, 3 hours, 4 hours, 8 hours, 1 day, 1W, 1M';

/** Futures have trade, quote and midpoint history; the rest IB's HMDS has none of for them. */
export const FUTURES_WHAT_TO_SHOW = ['TRADES', 'MIDPOINT', 'BID', 'ASK', 'BID_ASK'] as const;
export type FuturesWhatToShow = (typeof FUTURES_WHAT_TO_SHOW)[number];
/** whatToShow values IB knows but serves no futures bars for: HMDS answers 162 "No historical market data". */
const NO_FUTURES_DATA: Record<string, string> = {
  ADJUSTED_LAST: 'AdjustedLast',
  HISTORICAL_VOLATILITY: 'HistoricalVol',
  OPTION_IMPLIED_VOLATILITY: 'OptionImpliedVol',
};
/** Live updates stream single-sided prices only. */
const LIVE_WHAT_TO_SHOW = new Set(['TRADES', 'MIDPOINT', 'BID', 'ASK']);

export type DurationUnit = 'S' | 'D' | 'W' | 'M' | 'Y';

/**
 * IB publishes no longest `Y` duration; the simulator takes up to 30 years (more than any futures
 * backfill asks) and refuses more with IB's text for a duration it will not take, so a typo like
 * "5000 Y" is an error, not millions of bars built while the event loop waits.
 */
export const MAX_DURATION_YEARS = 30;
/**
 * The most bars one answer holds. IB's step table keeps every intraday request far below it;
 * only daily bars over decades reach it, and get HMDS's "Time length exceed max." as IB sends
 * for a request too long for its bar size.
 */
export const MAX_BARS = 10_000;

export interface BarRequestSettings {
  endDateTime: string;
  durationStr: string;
  barSizeSetting: string;
  whatToShow: string;
  formatDate: number;
  keepUpToDate: boolean;
}

export interface BarSpec {
  barSize: BarSize;
  barSeconds: number;
  /** Daily, weekly or monthly bars: one per trading day, week or month, not clock-aligned slots. */
  multiDay: boolean;
  duration: { n: number; unit: DurationUnit };
  whatToShow: FuturesWhatToShow;
  /** Epoch ms the bars end at (the request's end, or now). */
  endMs: number;
  /** Epoch ms the request reaches back to, on the exchange's calendar. */
  startMs: number;
  formatDate: number;
}

export type BarRequestOutcome = { ok: true; spec: BarSpec } | { ok: false; code: number; text: string };

const validating = (cause: string) => ({ ok: false as const, code: ERR.ERROR_VALIDATING_REQUEST, text: MSG.historicalRequestInvalid(cause) });
const hmds = (detail: string) => ({ ok: false as const, code: ERR.HISTORICAL_DATA_ERROR, text: MSG.historicalDataError(detail) });

/** Checks a request for `symbol` (traded on `exchange`, in zone `timeZoneId`) at `nowMs`. */
export function checkBarRequest(
  request: BarRequestSettings,
  contract: { symbol: string; exchange: string; timeZoneId: string },
  nowMs: number,
): BarRequestOutcome {
  const endText = request.endDateTime.trim();
  const endMs = endText === '' ? nowMs : parseTwsDateTime(endText);
  if (endMs === undefined) return { ok: false, code: ERR.INVALID_END_DATE, text: MSG.invalidEndDate };
  const duration = parseDuration(request.durationStr.trim());
  if ('cause' in duration) return validating(duration.cause);
  const what = request.whatToShow.trim().toUpperCase();
  if (what === 'ADJUSTED_LAST' && endText !== '') return validating('End date not supported with adjusted last');
  const barSize = parseBarSize(request.barSizeSetting);
  if (barSize === undefined) return validating(`Historical data bar size setting is invalid. Legal ones are: ${LEGAL_BAR_SIZES}`);
  const barSeconds = VALID_BAR_SIZES[barSize];
  const multiDay = barSeconds >= 86_400;
  if (what === 'ADJUSTED_LAST' && barSeconds > 86_400) return validating('Multi day bar size not supported with adjusted last');
  if (!(FUTURES_WHAT_TO_SHOW as readonly string[]).includes(what) && !(what in NO_FUTURES_DATA)) {
    return validating(`What to show value of ${request.whatToShow} rejected.`);
  }
  if (![1, 2, 3].includes(request.formatDate)) return validating(`Date formatting selection of ${request.formatDate} rejected.`);
  if (request.keepUpToDate && endText !== '') return validating('End date not supported with live updates');
  if (request.keepUpToDate && !LIVE_WHAT_TO_SHOW.has(what)) return validating('Source price not supported with live updates');
  const startMs = durationStart(endMs, duration, contract.timeZoneId);
  if (barSeconds < smallestStepFor(endMs - startMs)) return hmds(`invalid step: ${barSeconds}`);
  if ((endMs - startMs) / (barSeconds * 1_000) > MAX_BARS) return hmds('Time length exceed max.');
  const label = NO_FUTURES_DATA[what];
  if (label !== undefined) return hmds(`No historical market data for ${contract.symbol}/FUT@${contract.exchange} ${label} ${barSeconds}`);
  return {
    ok: true,
    spec: { barSize, barSeconds, multiDay, duration, whatToShow: what as FuturesWhatToShow, endMs, startMs, formatDate: request.formatDate },
  };
}

export function parseBarSize(text: string): BarSize | undefined {
  const key = text.trim().toLowerCase();
  if (key in VALID_BAR_SIZES) return key as BarSize;
  return BAR_SIZE_ALIASES[key];
}

/** IB's duration: `<n> S|D|W|M|Y`, or bare digits meaning seconds. */
export function parseDuration(text: string): { n: number; unit: DurationUnit } | { cause: string } {
  if (text === '') return { cause: 'Historical data request duration not specified.' };
  const m = /^(\d+)(?: ([SDWMY]))?$/i.exec(text);
  if (!m || (m[2] === undefined && /\D/.test(text))) {
    return { cause: 'When specifying a unit, historical data request duration format is integer{SPACE}unit (S|D|W|M|Y).' };
  }
  const n = Number(m[1]);
  const unit = (m[2] ?? 'S').toUpperCase() as DurationUnit;
  if (!Number.isSafeInteger(n) || n < 1 || (unit === 'S' && n < 30)) return { cause: 'Historical data requested duration is invalid.' };
  if (unit === 'S' && n > 86_400) return { cause: 'Historical data request for greater than 86400 seconds rejected.' };
  if (unit === 'D' && n > 365) return { cause: 'Historical data requests for durations longer than 365 days must be made in years.' };
  if (unit === 'W' && n > 52) return { cause: 'Historical data request for durations longer than 52 weeks must be made in years.' };
  if (unit === 'M' && n > 12) return { cause: 'Historical data request for durations longer than 12 months must be made in years.' };
  if (unit === 'Y' && n > MAX_DURATION_YEARS) return { cause: 'Historical data requested duration is invalid.' };
  return { n, unit };
}

/** The instant a duration reaches back to from `endMs`: months and years on the exchange's calendar. */
export function durationStart(endMs: number, duration: { n: number; unit: DurationUnit }, timeZoneId: string): number {
  const { n, unit } = duration;
  if (unit === 'S') return endMs - n * 1_000;
  if (unit === 'D') return endMs - n * 86_400_000;
  if (unit === 'W') return endMs - n * 604_800_000;
  const end = DateTime.fromMillis(endMs, { zone: timeZoneId });
  return (unit === 'M' ? end.minus({ months: n }) : end.minus({ years: n })).toMillis();
}

/**
 * The smallest bar IB serves over a span (its step-size table): 1 secs up to 1800 S, 5 secs up to
 * 3600 S, 10 secs up to 4 hours, 30 secs up to 8 hours, 1 min up to a day, 2 mins up to 2 days,
 * 3 mins up to a week, 30 mins up to a month, 1 day beyond.
 */
export function smallestStepFor(spanMs: number): number {
  const s = spanMs / 1_000;
  if (s <= 1_800) return 1;
  if (s <= 3_600) return 5;
  if (s <= 14_400) return 10;
  if (s <= 28_800) return 30;
  if (s <= 86_400) return 60;
  if (s <= 172_800) return 120;
  if (s <= 604_800) return 180;
  if (s <= 32 * 86_400) return 1_800; // 1 M: the longest month, and a DST hour
  return 86_400;
}
