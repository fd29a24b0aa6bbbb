import type { Bar } from '../protocol/outgoing/historical.ts';
import { formatTwsDateTime } from '../protocol/handshake.ts';
import type { Instrument } from '../../instruments/instruments.ts';
import { roundToTick } from './priceFeed.ts';
import { SeededRandom, deriveSeed } from '../../shared/seededRandom.ts';
import type { BarSpec } from './barRequest.ts';
import type { BarSlot } from './barSlots.ts';

/** IB sends -1 for volume, WAP and count of bars that are not trades. */
const NOT_TRADES = -1;

/** A bar in integer price ticks, before whatToShow and formatting. */
interface TickBar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * Bars ending at the current price, walked backwards from it with a generator seeded from the
 * simulator seed, symbol, bar size and end time: the same request gives the same bars, and
 * TRADES, BID, ASK, MIDPOINT and BID_ASK of one request describe the same market.
 */
export function generateBars(
  instrument: Instrument,
  lastPrice: number,
  spec: BarSpec,
  slots: readonly BarSlot[],
  seed: number,
  volatility: number,
): Bar[] {
  const random = new SeededRandom(deriveSeed(seed, `${instrument.symbol}|${spec.barSeconds}|${spec.endMs}`));
  const sigmaTicks = Math.max(1, (lastPrice / instrument.tickSize) * volatility * Math.sqrt(Math.max(1, spec.barSeconds / 60)));
  const bars: Bar[] = new Array(slots.length);
  let closeTicks = Math.round(lastPrice / instrument.tickSize);
  for (let k = slots.length - 1; k >= 0; k--) {
    const openTicks = Math.max(2, closeTicks - Math.round(random.normal() * sigmaTicks));
    const tick: TickBar = {
      open: openTicks,
      close: closeTicks,
      high: Math.max(openTicks, closeTicks) + random.int(0, 2),
      low: Math.max(2, Math.min(openTicks, closeTicks) - random.int(0, 2)),
      volume: random.int(10, 500),
    };
    bars[k] = { date: barDate(slots[k] as BarSlot, spec.formatDate), ...shown(tick, spec.whatToShow, instrument) };
    closeTicks = openTicks;
  }
  return bars;
}

/**
 * IB's OHLC per whatToShow (its "historical data types" table): TRADES are trades; BID, ASK and
 * MIDPOINT the first, highest, lowest and last quote (the simulator quotes one tick either side
 * of the last trade); BID_ASK is the time-average bid, the highest ask, the lowest bid and the
 * time-average ask. Only TRADES carry volume, WAP and count.
 */
function shown(t: TickBar, what: BarSpec['whatToShow'], instrument: Instrument): Omit<Bar, 'date'> {
  const price = (ticks: number) => roundToTick(ticks * instrument.tickSize, instrument);
  const quote = (offset: number) => ({
    open: price(t.open + offset),
    high: price(t.high + offset),
    low: price(t.low + offset),
    close: price(t.close + offset),
    volume: NOT_TRADES,
    wap: NOT_TRADES,
    count: NOT_TRADES,
  });
  switch (what) {
    case 'TRADES':
      return {
        open: price(t.open),
        high: price(t.high),
        low: price(t.low),
        close: price(t.close),
        volume: t.volume,
        wap: roundToTick(((t.high + t.low + t.close) / 3) * instrument.tickSize, instrument),
        count: Math.max(1, Math.floor(t.volume / 3)),
      };
    case 'MIDPOINT':
      return quote(0);
    case 'BID':
      return quote(-1);
    case 'ASK':
      return quote(1);
    case 'BID_ASK': {
      // The trade path's time average, approximated by its four prices, lies within [low, high].
      const average = Math.round((t.open + t.high + t.low + t.close) / 4);
      return { ...quote(0), open: price(average - 1), high: price(t.high + 1), low: price(t.low - 1), close: price(average + 1) };
    }
  }
}

/** formatDate 1: `yyyyMMdd HH:mm:ss zone`; 2: epoch seconds; 3: 1 without the year. Multi-day bars: the trading day, whatever formatDate. */
function barDate(slot: BarSlot, formatDate: number): string {
  if (slot.day !== undefined) return slot.day;
  const seconds = Math.floor(slot.startMs / 1000);
  if (formatDate === 2) return String(seconds);
  const text = formatTwsDateTime(slot.startMs);
  return formatDate === 3 ? text.slice(4) : text;
}
