import type { Bar } from '../protocol/outgoing/historical.ts';
import { formatTwsDateTime } from '../protocol/handshake.ts';
import type { Instrument } from '../../instruments/instruments.ts';
import { roundToTick } from './priceFeed.ts';
import { SeededRandom, deriveSeed } from '../../shared/seededRandom.ts';

const BAR_UNITS: Record<string, number> = {
  sec: 1,
  secs: 1,
  min: 60,
  mins: 60,
  hour: 3600,
  hours: 3600,
  day: 86_400,
  days: 86_400,
  week: 604_800,
  weeks: 604_800,
  month: 2_592_000,
  months: 2_592_000,
};
const DURATION_UNITS: Record<string, number> = { S: 1, D: 86_400, W: 604_800, M: 2_592_000, Y: 31_536_000 };
/** More bars than this is refused, like HMDS refuses oversized requests. */
export const MAX_BARS = 10_000;

export type BarSpec = { ok: true; barSeconds: number; durationSeconds: number; endMs: number } | { ok: false; reason: string };

export function parseBarSpec(barSize: string, duration: string, endDateTime: string, nowMs: number): BarSpec {
  const bar = /^(\d+)\s+([a-z]+)$/i.exec(barSize.trim());
  const unit = bar ? BAR_UNITS[(bar[2] as string).toLowerCase()] : undefined;
  if (!bar || unit === undefined || Number(bar[1]) <= 0) return { ok: false, reason: `Invalid bar size '${barSize}'` };
  const dur = /^(\d+)\s+([SDWMY])$/.exec(duration.trim());
  const durUnit = dur ? DURATION_UNITS[dur[2] as string] : undefined;
  if (!dur || durUnit === undefined || Number(dur[1]) <= 0) return { ok: false, reason: `Invalid duration '${duration}'` };
  const endMs = endDateTime.trim() === '' ? nowMs : parseTwsDateTime(endDateTime);
  if (endMs === undefined) return { ok: false, reason: `Invalid end date/time '${endDateTime}'` };
  return { ok: true, barSeconds: Number(bar[1]) * unit, durationSeconds: Number(dur[1]) * durUnit, endMs };
}

/** Accepts "yyyyMMdd HH:mm:ss[ zone]" and "yyyyMMdd-HH:mm:ss"; the simulator treats all times as UTC. */
export function parseTwsDateTime(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:[ -]+(\d{2}):(\d{2})(?::(\d{2}))?)?(?:\s+\S+)?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Bars ending at the current price, walked backwards from it with a generator seeded from the
 * simulator seed, symbol, bar size and end time: the same request gives the same bars.
 */
export function generateBars(
  instrument: Instrument,
  lastPrice: number,
  spec: Extract<BarSpec, { ok: true }>,
  seed: number,
  volatility: number,
  formatDate: number,
): Bar[] {
  const count = Math.max(1, Math.floor(spec.durationSeconds / spec.barSeconds));
  const random = new SeededRandom(deriveSeed(seed, `${instrument.symbol}|${spec.barSeconds}|${spec.endMs}`));
  const tick = instrument.tickSize;
  const sigmaTicks = Math.max(1, (lastPrice / tick) * volatility * Math.sqrt(Math.max(1, spec.barSeconds / 60)));
  const bars: Bar[] = new Array(count);
  let closeTicks = Math.round(lastPrice / tick);
  const endSeconds = Math.floor(spec.endMs / 1000);
  for (let k = count - 1; k >= 0; k--) {
    const openTicks = Math.max(1, closeTicks - Math.round(random.normal() * sigmaTicks));
    const highTicks = Math.max(openTicks, closeTicks) + random.int(0, 2);
    const lowTicks = Math.max(1, Math.min(openTicks, closeTicks) - random.int(0, 2));
    const price = (t: number) => roundToTick(t * tick, instrument);
    const volume = random.int(10, 500);
    bars[k] = {
      date: formatBarDate(endSeconds - (count - k) * spec.barSeconds, spec.barSeconds, formatDate),
      open: price(openTicks),
      high: price(highTicks),
      low: price(lowTicks),
      close: price(closeTicks),
      volume,
      wap: roundToTick(((highTicks + lowTicks + closeTicks) / 3) * tick, instrument),
      count: Math.max(1, Math.floor(volume / 3)),
    };
    closeTicks = openTicks;
  }
  return bars;
}

function formatBarDate(epochSeconds: number, barSeconds: number, formatDate: number): string {
  if (formatDate === 2) return String(epochSeconds);
  const text = formatTwsDateTime(epochSeconds * 1000);
  return barSeconds >= 86_400 ? text.slice(0, 8) : text;
}
