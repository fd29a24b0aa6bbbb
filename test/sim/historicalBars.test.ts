import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BarRequestSettings, MAX_BARS, MAX_DURATION_YEARS, VALID_BAR_SIZES, checkBarRequest, smallestStepFor } from '../../src/sim/market/barRequest.ts';
import { barSlots } from '../../src/sim/market/barSlots.ts';
import { generateBars } from '../../src/sim/market/historicalBars.ts';
import { alwaysOpen, type SessionsBetween, type TradingSession } from '../../src/sim/market/tradingSessions.ts';
import { DEFAULT_INSTRUMENTS } from '../../src/instruments/instruments.ts';
import { InstrumentCatalogue } from '../../src/instruments/catalogue.ts';
import { TEST_SIM_CLOCK_MS } from '../support/simClock.ts';

const ES = { symbol: 'ES', exchange: 'CME', timeZoneId: 'US/Central' };
const NOW = TEST_SIM_CLOCK_MS; // Monday 2026-12-07 09:00 CT
const base: BarRequestSettings = { endDateTime: '', durationStr: '1 D', barSizeSetting: '1 hour', whatToShow: 'TRADES', formatDate: 1, keepUpToDate: false };
const check = (overrides: Partial<BarRequestSettings>) => checkBarRequest({ ...base, ...overrides }, ES, NOW);
const refusal = (overrides: Partial<BarRequestSettings>) => {
  const outcome = check(overrides);
  return outcome.ok ? 'accepted' : [outcome.code, outcome.text];
};
const V = (cause: string) => [321, `Error validating request.-'bP' : cause - ${cause}`];
const HMDS = (detail: string) => [162, `Historical Market Data Service error message:${detail}`];

describe("a bar request is checked as IB's gateway checks it for futures", () => {
  it.each([
    [{ barSizeSetting: '1 sec' }, V('Historical data bar size setting is invalid. Legal ones are: 1 secs, 5 secs, 10 secs, 15 secs, 30 secs, 1 min, 2 mins, 3 mins, 5 mins, 10 mins, 15 mins, 20 mins, 30 mins, 1 hour, 2 hours, 3 hours, 4 hours, 8 hours, 1 day, 1W, 1M')],
    [{ barSizeSetting: '7 mins' }, 321],
    [{ barSizeSetting: '' }, 321],
    [{ durationStr: '' }, V('Historical data request duration not specified.')],
    [{ durationStr: '1 day' }, V('When specifying a unit, historical data request duration format is integer{SPACE}unit (S|D|W|M|Y).')],
    [{ durationStr: '1D' }, V('When specifying a unit, historical data request duration format is integer{SPACE}unit (S|D|W|M|Y).')],
    [{ durationStr: '0 D' }, V('Historical data requested duration is invalid.')],
    [{ durationStr: '29 S' }, V('Historical data requested duration is invalid.')],
    [{ durationStr: '86401 S' }, V('Historical data request for greater than 86400 seconds rejected.')],
    [{ durationStr: '400 D', barSizeSetting: '1 day' }, V('Historical data requests for durations longer than 365 days must be made in years.')],
    [{ durationStr: '53 W', barSizeSetting: '1 day' }, V('Historical data request for durations longer than 52 weeks must be made in years.')],
    [{ durationStr: '13 M', barSizeSetting: '1 day' }, V('Historical data request for durations longer than 12 months must be made in years.')],
    [{ durationStr: '31 Y', barSizeSetting: '1 month' }, V('Historical data requested duration is invalid.')],
    [{ durationStr: '5000 Y', barSizeSetting: '1 day' }, V('Historical data requested duration is invalid.')],
    [{ durationStr: '30 Y', barSizeSetting: '1 day' }, HMDS('Time length exceed max.')],
    [{ whatToShow: 'YIELD_BID' }, V('What to show value of YIELD_BID rejected.')],
    [{ whatToShow: '' }, V('What to show value of  rejected.')],
    [{ formatDate: 0 }, V('Date formatting selection of 0 rejected.')],
    [{ formatDate: 4 }, V('Date formatting selection of 4 rejected.')],
    [{ keepUpToDate: true, endDateTime: '20261204 16:00:00 US/Central' }, V('End date not supported with live updates')],
    [{ keepUpToDate: true, whatToShow: 'BID_ASK' }, V('Source price not supported with live updates')],
    [{ whatToShow: 'ADJUSTED_LAST', endDateTime: '20261204-21:00:00' }, V('End date not supported with adjusted last')],
    [{ whatToShow: 'ADJUSTED_LAST', durationStr: '1 Y', barSizeSetting: '1 week' }, V('Multi day bar size not supported with adjusted last')],
    [{ whatToShow: 'ADJUSTED_LAST' }, HMDS('No historical market data for ES/FUT@CME AdjustedLast 3600')],
    [{ whatToShow: 'HISTORICAL_VOLATILITY' }, HMDS('No historical market data for ES/FUT@CME HistoricalVol 3600')],
    [{ whatToShow: 'OPTION_IMPLIED_VOLATILITY', barSizeSetting: '1 day' }, HMDS('No historical market data for ES/FUT@CME OptionImpliedVol 86400')],
    [{ barSizeSetting: '1 secs' }, HMDS('invalid step: 1')],
    [{ durationStr: '1 Y', barSizeSetting: '1 hour' }, HMDS('invalid step: 3600')],
    [{ endDateTime: '2026-12-04 16:00' }, [10314, expect.stringMatching(/^End Date\/Time: The date, time, or time-zone entered is invalid\./)]],
    [{ endDateTime: '20261204 16:00:00 Mars/Olympus' }, 10314],
  ] as [Partial<BarRequestSettings>, unknown][])('%j is refused with %j', (overrides, expected) => {
    const got = refusal(overrides);
    if (typeof expected === 'number') expect(got[0]).toBe(expected);
    else expect(got).toEqual(expected);
  });

  it('takes every bar size IB lists, with a duration its step table allows, and 1W/1M as IB spells them', () => {
    for (const [size, seconds] of Object.entries(VALID_BAR_SIZES)) {
      const durationStr = seconds < 60 ? '1800 S' : seconds < 86_400 ? '1 D' : '2 Y';
      expect(check({ barSizeSetting: size, durationStr }).ok, size).toBe(true);
    }
    expect(check({ barSizeSetting: '1W', durationStr: '1 Y' }).ok).toBe(true);
    expect(check({ barSizeSetting: '1M', durationStr: '1 Y' }).ok).toBe(true);
  });

  it('reads end times in UTC (dash form) or the zone named, and bare digits as seconds', () => {
    const at = (endDateTime: string) => {
      const outcome = check({ endDateTime });
      return outcome.ok ? outcome.spec.endMs : undefined;
    };
    expect(at('20261204-22:00:00')).toBe(Date.UTC(2026, 11, 4, 22));
    expect(at('20261204 16:00:00 US/Central')).toBe(Date.UTC(2026, 11, 4, 22));
    expect(at('20261204 17:00:00 US/Eastern')).toBe(Date.UTC(2026, 11, 4, 22));
    const seconds = check({ durationStr: '3600', barSizeSetting: '5 mins' });
    expect(seconds.ok && seconds.spec.endMs - seconds.spec.startMs).toBe(3_600_000);
  });

  it('no accepted request holds more than MAX_BARS bars: decades of daily bars are the only ones that reach it', () => {
    const units = ['S', 'D', 'W', 'M', 'Y'] as const;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(...units), fc.constantFrom(...Object.keys(VALID_BAR_SIZES)), (n, unit, barSizeSetting) => {
        const outcome = check({ durationStr: `${n} ${unit}`, barSizeSetting });
        if (outcome.ok) expect((outcome.spec.endMs - outcome.spec.startMs) / (outcome.spec.barSeconds * 1_000)).toBeLessThanOrEqual(MAX_BARS);
      }),
    );
    expect(check({ durationStr: '27 Y', barSizeSetting: '1 day' }).ok).toBe(true);
    expect(check({ durationStr: `${MAX_DURATION_YEARS} Y`, barSizeSetting: '1 week' }).ok).toBe(true);
  });

  it('the smallest step grows with the span, never shrinks', () => {
    fc.assert(fc.property(fc.nat(400 * 86_400_000), fc.nat(400 * 86_400_000), (a, b) => {
      expect(smallestStepFor(Math.min(a, b))).toBeLessThanOrEqual(smallestStepFor(Math.max(a, b)));
    }));
  });
});

/** Random sessions: a few open stretches inside the window, ascending and disjoint. */
const sessionsArb = fc.array(fc.tuple(fc.integer({ min: 1, max: 20 * 3_600_000 }), fc.integer({ min: 60_000, max: 20 * 3_600_000 })), { maxLength: 8 });
function sessionsFrom(start: number, gaps: [number, number][]): SessionsBetween {
  const list: TradingSession[] = [];
  let at = start;
  for (const [gap, length] of gaps) {
    list.push({ open: at + gap, close: at + gap + length });
    at += gap + length;
  }
  return (from, to) => list.filter((s) => s.close > from && s.open < to);
}

const intradaySizes = Object.entries(VALID_BAR_SIZES).filter(([, s]) => s < 86_400);

describe('bar slots', () => {
  it('intraday bars start on multiples of their size, lie inside the request, and only where a session is open', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...intradaySizes),
        fc.integer({ min: 0, max: 3 * 86_400_000 }),
        sessionsArb,
        ([size, seconds], endOffset, gaps) => {
          const endDateTime = new Date(NOW - endOffset).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 17);
          const durationStr = seconds < 5 ? '1800 S' : seconds < 10 ? '3600 S' : seconds < 60 ? '14400 S' : '2 D';
          const outcome = check({ barSizeSetting: size, durationStr: seconds === 15 ? '14400 S' : seconds === 30 ? '28800 S' : durationStr, endDateTime });
          if (!outcome.ok) return; // 1 min and 2 D: refused by the step table
          const spec = outcome.spec;
          const sessions = sessionsFrom(spec.startMs - 86_400_000, gaps);
          const slots = barSlots(spec, sessions, 'US/Central');
          const barMs = seconds * 1000;
          for (const slot of slots) {
            expect(slot.startMs % barMs).toBe(0);
            expect(slot.startMs).toBeLessThan(spec.endMs);
            expect(sessions(slot.startMs, slot.startMs + barMs).length).toBeGreaterThan(0);
          }
          expect(slots.map((s) => s.startMs)).toEqual([...new Set(slots.map((s) => s.startMs))].sort((a, b) => a - b));
        },
      ),
    );
  });

  it('always open, ending on a bar boundary: a duration gives duration / bar size bars', () => {
    const cases: [string, string][] = [['1800 S', '1 secs'], ['3600 S', '5 secs'], ['14400 S', '15 secs'], ['28800 S', '30 secs'], ['1 D', '1 min'], ['1 D', '1 hour'], ['2 D', '2 mins'], ['1 W', '3 mins'], ['1 W', '4 hours'], ['2 D', '8 hours'], ['1 M', '30 mins']];
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.integer({ min: 0, max: 1000 }), ([durationStr, size], k) => {
        const seconds = VALID_BAR_SIZES[size as keyof typeof VALID_BAR_SIZES];
        const endMs = (Math.floor(NOW / 28_800_000) - k) * 28_800_000; // a multiple of every intraday bar size
        const outcome = checkBarRequest({ ...base, durationStr, barSizeSetting: size }, ES, endMs);
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        expect(barSlots(outcome.spec, alwaysOpen, 'US/Central')).toHaveLength(Math.round((outcome.spec.endMs - outcome.spec.startMs) / 1000 / seconds));
      }),
    );
  });

  it('a day with no session has no bars: a CME-like weekend leaves Saturday out', () => {
    // Sessions 17:00-16:00 CT Sunday to Friday (23:00-22:00 UTC in December).
    const cme: SessionsBetween = (from, to) => {
      const out: TradingSession[] = [];
      for (let day = Date.UTC(2026, 10, 1); day < to; day += 86_400_000) {
        const weekday = new Date(day).getUTCDay();
        if (weekday === 5 || weekday === 6) continue; // sessions open Sun..Thu evenings
        const open = day + 23 * 3_600_000;
        const s = { open, close: open + 23 * 3_600_000 };
        if (s.close > from && s.open < to) out.push(s);
      }
      return out;
    };
    const hourly = check({ durationStr: '3 D', barSizeSetting: '1 hour' });
    expect(hourly.ok).toBe(true);
    if (!hourly.ok) return;
    const slots = barSlots(hourly.spec, cme, 'US/Central');
    const saturday = Date.UTC(2026, 11, 5);
    expect(slots.some((s) => s.startMs >= saturday && s.startMs < saturday + 86_400_000)).toBe(false);
    // Friday 22:00 UTC (16:00 CT) closes; Sunday 23:00 UTC opens: 16 bars Monday so far, 1 Friday evening... none after 22:00 Friday.
    expect(slots.filter((s) => s.startMs >= Date.UTC(2026, 11, 4, 22) && s.startMs < Date.UTC(2026, 11, 6, 23))).toEqual([]);
    const daily = check({ durationStr: '5 D', barSizeSetting: '1 day' });
    if (!daily.ok) throw new Error('refused');
    // Monday's bar is the session that opened Sunday evening; the weekend has none.
    expect(barSlots(daily.spec, cme, 'US/Central').map((s) => s.day)).toEqual(['20261201', '20261202', '20261203', '20261204', '20261207']);
  });

  it('n D of daily bars is the last n trading days, named by exchange-zone date; weeks and months group them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 }), (n) => {
        const outcome = check({ durationStr: `${n} D`, barSizeSetting: '1 day' });
        if (!outcome.ok) throw new Error('refused');
        const days = barSlots(outcome.spec, alwaysOpen, 'US/Central').map((s) => s.day);
        expect(days).toHaveLength(n);
        expect(days.at(-1)).toBe('20261207');
        expect(days).toEqual([...new Set(days)].sort());
      }),
    );
    const weekly = check({ durationStr: '1 M', barSizeSetting: '1 week' });
    if (!weekly.ok) throw new Error('refused');
    expect(barSlots(weekly.spec, alwaysOpen, 'US/Central').map((s) => s.day)).toEqual(['20261108', '20261109', '20261116', '20261123', '20261130', '20261207']);
    const monthly = check({ durationStr: '1 Y', barSizeSetting: '1 month' });
    if (!monthly.ok) throw new Error('refused');
    const months = barSlots(monthly.spec, alwaysOpen, 'US/Central').map((s) => s.day);
    // A year back from Monday 7 December reaches into last December: its part is a bar too.
    expect(months).toHaveLength(13);
    expect(months[0]).toBe('20251208');
    expect(months[1]).toBe('20260101');
    expect(months.at(-1)).toBe('20261201');
  });
});

describe('whatToShow', () => {
  const es = new InstrumentCatalogue(DEFAULT_INSTRUMENTS).bySymbolName('ES')!;
  const barsOf = (whatToShow: string, formatDate = 1) => {
    const outcome = check({ whatToShow, formatDate });
    if (!outcome.ok) throw new Error(outcome.text);
    return generateBars(es, 5900, outcome.spec, barSlots(outcome.spec, alwaysOpen, 'US/Central'), 7, 0.0001);
  };

  it('BID, ASK and MIDPOINT describe the same market as TRADES, a tick either side, with no volume', () => {
    const trades = barsOf('TRADES');
    const shifted = (bars: ReturnType<typeof barsOf>, ticks: number) => bars.map((b) => [b.open, b.high, b.low, b.close].map((p) => Math.round((p - ticks * 0.25) * 4) / 4));
    const prices = trades.map((b) => [b.open, b.high, b.low, b.close]);
    expect(shifted(barsOf('MIDPOINT'), 0)).toEqual(prices);
    expect(shifted(barsOf('BID'), -1)).toEqual(prices);
    expect(shifted(barsOf('ASK'), 1)).toEqual(prices);
    for (const what of ['MIDPOINT', 'BID', 'ASK', 'BID_ASK']) {
      for (const b of barsOf(what)) expect([b.volume, b.wap, b.count]).toEqual([-1, -1, -1]);
    }
    expect(trades.every((b) => b.volume > 0 && b.count > 0)).toBe(true);
    expect(trades.at(-1)?.close).toBe(5900);
  });

  it('BID_ASK: average bid below average ask, both between the lowest bid and the highest ask', () => {
    for (const b of barsOf('BID_ASK')) {
      expect(b.open).toBeLessThan(b.close);
      expect(b.low).toBeLessThanOrEqual(b.open);
      expect(b.high).toBeGreaterThanOrEqual(b.close);
    }
  });

  it('formatDate 2 dates bars in epoch seconds, 1 in TWS text, 3 without the year', () => {
    const epoch = barsOf('TRADES', 2).map((b) => Number(b.date));
    expect(epoch.every((s) => s % 3600 === 0)).toBe(true);
    const text = barsOf('TRADES', 1).map((b) => b.date);
    // The request ends on the hour: the last bar is the hour before it.
    expect(text.at(-1)).toBe('20261207 14:00:00 UTC');
    expect(barsOf('TRADES', 3).at(-1)?.date).toBe('1207 14:00:00 UTC');
  });
});
