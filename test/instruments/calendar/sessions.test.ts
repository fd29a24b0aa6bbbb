import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { futuresCalendar, PRODUCT_CALENDARS } from '../../../src/instruments/calendar/index.ts';

const SYMBOLS = PRODUCT_CALENDARS.map((p) => p.symbol);
const zoneOf = (symbol: string): string => PRODUCT_CALENDARS.find((p) => p.symbol === symbol)!.zone;
const at = (iso: string, zone: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const local = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');
const minuteOfDay = (ms: number, zone: string): number => {
  const t = DateTime.fromMillis(ms, { zone });
  return t.hour * 60 + t.minute;
};
const CT = 'America/Chicago';
const ET = 'America/New_York';
const HOUR = 3_600_000;

/** The daily breaks each product's Globex week keeps, [from, to) minutes on its exchange clock. */
const BREAKS: Record<string, [number, number][]> = {
  ES: [[16 * 60, 17 * 60]], NQ: [[16 * 60, 17 * 60]], ZN: [[16 * 60, 17 * 60]], ZB: [[16 * 60, 17 * 60]], '6E': [[16 * 60, 17 * 60]],
  CL: [[17 * 60, 18 * 60]], GC: [[17 * 60, 18 * 60]],
  ZC: [[7 * 60 + 45, 8 * 60 + 30], [13 * 60 + 20, 19 * 60]], ZW: [[7 * 60 + 45, 8 * 60 + 30], [13 * 60 + 20, 19 * 60]],
};
const OPENS: Record<string, string[]> = { ES: ['17:00'], NQ: ['17:00'], ZN: ['17:00'], ZB: ['17:00'], '6E': ['17:00'], CL: ['18:00'], GC: ['18:00'], ZC: ['19:00', '08:30'], ZW: ['19:00', '08:30'] };
const CLOSES: Record<string, string[]> = { ES: ['16:00'], NQ: ['16:00'], ZN: ['16:00'], ZB: ['16:00'], '6E': ['16:00'], CL: ['17:00'], GC: ['17:00'], ZC: ['07:45', '13:20'], ZW: ['07:45', '13:20'] };

const instant = fc.integer({ min: Date.parse('2025-12-01T00:00:00Z'), max: Date.parse('2028-01-31T00:00:00Z') });

describe('futures calendar: sessions', () => {
  it('property: isTradingAt agrees with sessionsBetween, including at session edges', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SYMBOLS), instant, (symbol, t) => {
        expect(futuresCalendar.isTradingAt(symbol, t)).toBe(futuresCalendar.sessionsBetween(symbol, t, t + 1).length > 0);
        for (const { open, close } of futuresCalendar.sessionsBetween(symbol, t, t + 3 * 24 * HOUR)) {
          expect(futuresCalendar.isTradingAt(symbol, open)).toBe(true);
          expect(futuresCalendar.isTradingAt(symbol, close - 1)).toBe(true);
          expect(futuresCalendar.isTradingAt(symbol, close)).toBe(false);
          expect(futuresCalendar.isTradingAt(symbol, open - 1)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: sessions are ascending, disjoint, and none spans the daily break', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SYMBOLS), instant, (symbol, from) => {
        const zone = zoneOf(symbol);
        const sessions = futuresCalendar.sessionsBetween(symbol, from, from + 10 * 24 * HOUR);
        sessions.forEach((s, i) => {
          expect(s.close).toBeGreaterThan(s.open);
          if (i > 0) expect(s.open).toBeGreaterThan(sessions[i - 1]!.close);
          expect(s.close - s.open).toBeLessThanOrEqual(24 * HOUR);
          // Sampled every quarter hour: no instant inside a session shows a break time on the exchange clock.
          for (let t = s.open; t < s.close; t += HOUR / 4) {
            const minute = minuteOfDay(t, zone);
            for (const [a, b] of BREAKS[symbol]!) expect(minute >= a && minute < b, `${symbol} trades at ${local(t, zone)}`).toBe(false);
          }
        });
      }),
      { numRuns: 100 },
    );
  });

  it('property: sessionsBetween returns only sessions overlapping the range', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SYMBOLS), instant, fc.integer({ min: 1, max: 5 * 24 * HOUR }), (symbol, from, length) => {
        for (const s of futuresCalendar.sessionsBetween(symbol, from, from + length)) {
          expect(s.close).toBeGreaterThan(from);
          expect(s.open).toBeLessThan(from + length);
        }
        expect(futuresCalendar.sessionsBetween(symbol, from, from)).toEqual([]);
      }),
    );
  });

  it.each(['2026-03-08', '2026-11-01', '2027-03-14', '2027-11-07'])('DST change on %s keeps local open and close times', (day) => {
    for (const symbol of SYMBOLS) {
      const zone = zoneOf(symbol);
      const sessions = futuresCalendar.sessionsBetween(symbol, at(`${day}T00:00`, zone) - 3 * 24 * HOUR, at(`${day}T00:00`, zone) + 4 * 24 * HOUR);
      expect(sessions.length).toBeGreaterThan(3);
      for (const s of sessions) {
        expect(OPENS[symbol]).toContain(local(s.open, zone));
        expect(CLOSES[symbol]).toContain(local(s.close, zone));
      }
    }
    // The Sunday-evening open after the change is 17:00 CT on the new offset.
    const sunday = futuresCalendar.sessionsBetween('ES', at(`${day}T12:00`, CT), at(`${day}T23:00`, CT));
    expect(sunday.map((s) => DateTime.fromMillis(s.open, { zone: CT }).toISO())).toEqual([DateTime.fromISO(`${day}T17:00`, { zone: CT }).toISO()]);
  });

  it('the Globex week: Sunday 17:00 CT open, daily 16:00–17:00 break, Friday 16:00 close', () => {
    expect(futuresCalendar.isTradingAt('ES', at('2026-12-06T16:59', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ES', at('2026-12-06T17:00', CT))).toBe(true);
    expect(futuresCalendar.isTradingAt('ES', at('2026-12-07T16:30', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ES', at('2026-12-11T15:59', CT))).toBe(true);
    expect(futuresCalendar.isTradingAt('ES', at('2026-12-11T16:00', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ES', at('2026-12-12T12:00', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('CL', at('2026-12-07T17:30', ET))).toBe(false);
    expect(futuresCalendar.isTradingAt('CL', at('2026-12-07T18:00', ET))).toBe(true);
    expect(futuresCalendar.isTradingAt('ZC', at('2026-12-07T08:00', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ZC', at('2026-12-07T13:20', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ZC', at('2026-12-07T19:00', CT))).toBe(true);
  });

  it('holidays: equity halts at 12:00 CT on Thanksgiving and reopens 17:00; grains stay shut; both close early the day after', () => {
    expect(futuresCalendar.isTradingAt('ES', at('2026-11-26T11:59', CT))).toBe(true);
    expect(futuresCalendar.isTradingAt('ES', at('2026-11-26T12:00', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ES', at('2026-11-26T17:00', CT))).toBe(true);
    expect(futuresCalendar.isTradingAt('ES', at('2026-11-27T12:14', CT))).toBe(true);
    expect(futuresCalendar.isTradingAt('ES', at('2026-11-27T12:15', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ZC', at('2026-11-25T20:00', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ZC', at('2026-11-26T10:00', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ZC', at('2026-11-26T20:00', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ZC', at('2026-11-27T08:30', CT))).toBe(true);
    expect(futuresCalendar.isTradingAt('ZC', at('2026-11-27T12:05', CT))).toBe(false);
  });

  it('holidays: MLK Day — equity and rates halt 12:00 CT, energy 14:30 ET, grains closed and reopen 19:00 CT', () => {
    expect(futuresCalendar.isTradingAt('ZN', at('2027-01-18T11:00', CT))).toBe(true);
    expect(futuresCalendar.isTradingAt('ZN', at('2027-01-18T12:30', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('CL', at('2027-01-18T14:29', ET))).toBe(true);
    expect(futuresCalendar.isTradingAt('CL', at('2027-01-18T14:30', ET))).toBe(false);
    expect(futuresCalendar.isTradingAt('ZC', at('2027-01-17T20:00', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ZC', at('2027-01-18T10:00', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ZC', at('2027-01-18T19:00', CT))).toBe(true);
  });

  it('holidays: Christmas and New Year closed all day for every product', () => {
    for (const symbol of SYMBOLS) {
      const zone = zoneOf(symbol);
      expect(futuresCalendar.sessionsBetween(symbol, at('2026-12-25T00:00', zone), at('2026-12-25T16:00', zone))).toEqual([]);
      expect(futuresCalendar.sessionsBetween(symbol, at('2027-01-01T00:00', zone), at('2027-01-01T16:00', zone))).toEqual([]);
    }
  });

  it('liquid hours: regular hours on business days only, cut short by early closes', () => {
    expect(futuresCalendar.isLiquidAt('ES', at('2026-12-07T08:29', CT))).toBe(false);
    expect(futuresCalendar.isLiquidAt('ES', at('2026-12-07T08:30', CT))).toBe(true);
    expect(futuresCalendar.isLiquidAt('ES', at('2026-12-07T15:15', CT))).toBe(false);
    expect(futuresCalendar.isLiquidAt('ES', at('2026-12-07T02:00', CT))).toBe(false);
    expect(futuresCalendar.isTradingAt('ES', at('2026-12-07T02:00', CT))).toBe(true);
    expect(futuresCalendar.isLiquidAt('ZN', at('2027-01-18T10:00', CT))).toBe(false); // MLK: trading, not liquid
    expect(futuresCalendar.isLiquidAt('ES', at('2026-12-24T12:14', CT))).toBe(true);
    expect(futuresCalendar.isLiquidAt('ES', at('2026-12-24T12:15', CT))).toBe(false);
    expect(futuresCalendar.isLiquidAt('CL', at('2026-12-08T09:00', ET))).toBe(true);
    expect(futuresCalendar.isLiquidAt('GC', at('2026-12-08T08:19', ET))).toBe(false);
    expect(futuresCalendar.isLiquidAt('GC', at('2026-12-08T08:20', ET))).toBe(true);
  });

  it('property: liquid implies trading', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SYMBOLS), instant, (symbol, t) => {
        if (futuresCalendar.isLiquidAt(symbol, t)) expect(futuresCalendar.isTradingAt(symbol, t)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a tick-rate caller pays for a lookup, not a rebuild: a simulated day of 250 ms ticks for every product stays well under a second', () => {
    const start = at('2027-02-01T00:00', CT);
    const began = performance.now();
    let trading = 0;
    for (let t = start; t < start + 24 * HOUR; t += 250) for (const symbol of SYMBOLS) if (futuresCalendar.isTradingAt(symbol, t)) trading++;
    expect(performance.now() - began).toBeLessThan(1500);
    expect(trading).toBeGreaterThan(0);
  });
});
