import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { futuresCalendar, PRODUCT_CALENDARS } from '../../../src/instruments/calendar/index.ts';

const at = (iso: string, zone: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const CT = 'America/Chicago';
const ET = 'America/New_York';
const SYMBOLS = PRODUCT_CALENDARS.map((p) => p.symbol);
/** IB's ContractDetails tradingHours/liquidHours: ranges and closed days joined by ';'. */
const IB_HOURS = /^(\d{8}:\d{4}-\d{8}:\d{4}|\d{8}:CLOSED)(;(\d{8}:\d{4}-\d{8}:\d{4}|\d{8}:CLOSED))*$/;

describe('futures calendar: IB ContractDetails hours', () => {
  it('ES from Sunday 6 Dec 2026: the Globex week, then Saturday closed', () => {
    const now = at('2026-12-06T12:00', CT);
    expect(futuresCalendar.tradingHours('ES', now)).toBe(
      '20261206:1700-20261207:1600;20261207:1700-20261208:1600;20261208:1700-20261209:1600;20261209:1700-20261210:1600;20261210:1700-20261211:1600;20261212:CLOSED',
    );
    expect(futuresCalendar.liquidHours('ES', now)).toBe(
      '20261206:CLOSED;20261207:0830-20261207:1515;20261208:0830-20261208:1515;20261209:0830-20261209:1515;20261210:0830-20261210:1515;20261211:0830-20261211:1515;20261212:CLOSED',
    );
  });

  it('CL over Christmas 2026: early close on the 24th, closed the 25th, in Eastern time', () => {
    expect(futuresCalendar.tradingHours('CL', at('2026-12-21T10:00', ET))).toBe(
      '20261220:1800-20261221:1700;20261221:1800-20261222:1700;20261222:1800-20261223:1700;20261223:1800-20261224:1345;20261225:CLOSED;20261226:CLOSED;20261227:1800-20261228:1700',
    );
  });

  it('ZC over Thanksgiving 2026: two sessions a day, Thursday closed, Friday from 08:30 to the 12:05 early close', () => {
    expect(futuresCalendar.tradingHours('ZC', at('2026-11-23T12:00', CT))).toBe(
      '20261122:1900-20261123:0745;20261123:0830-20261123:1320;20261123:1900-20261124:0745;20261124:0830-20261124:1320;20261124:1900-20261125:0745;20261125:0830-20261125:1320;20261126:CLOSED;20261127:0830-20261127:1205;20261128:CLOSED;20261129:1900-20261130:0745',
    );
  });

  it('property: always IB format, dates ascending, covering seven exchange days from today', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SYMBOLS), fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-20T00:00:00Z') }), (symbol, now) => {
        const zone = PRODUCT_CALENDARS.find((p) => p.symbol === symbol)!.zone;
        const today = DateTime.fromMillis(now, { zone });
        for (const hours of [futuresCalendar.tradingHours(symbol, now), futuresCalendar.liquidHours(symbol, now)]) {
          expect(hours).toMatch(IB_HOURS);
          const keys = hours.split(';').map((part) => part.slice(0, 8));
          expect([...keys].sort()).toEqual(keys);
          // Every day of the seven is either named or inside a range.
          for (let d = 0; d < 7; d++) {
            const day = today.plus({ days: d }).toFormat('yyyyMMdd');
            const covered = hours.split(';').some((part) => part.startsWith(`${day}:`) || (part.includes('-') && part.slice(0, 8) <= day && part.slice(14, 22) >= day));
            expect(covered, `${symbol} ${day} in ${hours}`).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
