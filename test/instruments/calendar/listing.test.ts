import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { futuresCalendar, PRODUCT_CALENDARS, type ListedContract } from '../../../src/instruments/calendar/index.ts';

const SYMBOLS = PRODUCT_CALENDARS.map((p) => p.symbol);
const zoneOf = (symbol: string): string => PRODUCT_CALENDARS.find((p) => p.symbol === symbol)!.zone;
const expiry = (c: ListedContract): number => DateTime.fromFormat(`${c.lastTradeDate} ${c.lastTradeTime}`, 'yyyyMMdd HH:mm', { zone: zoneOf(c.symbol) }).toMillis();
const monthsBefore = (contractMonth: string, n: number): string => {
  const index = Number(contractMonth.slice(0, 4)) * 12 + Number(contractMonth.slice(4)) - 1 - n;
  return `${Math.floor(index / 12)}${String((index % 12) + 1).padStart(2, '0')}`;
};

const instant = fc.integer({ min: Date.parse('2025-06-01T00:00:00Z'), max: Date.parse('2029-01-01T00:00:00Z') });

describe('futures calendar: listed months', () => {
  it('property: listed months are ascending, unexpired, in the cycle, as many as IB lists, and the front is the earliest unexpired', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SYMBOLS), instant, (symbol, now) => {
        const product = PRODUCT_CALENDARS.find((p) => p.symbol === symbol)!;
        const listed = futuresCalendar.listed(symbol, now);
        expect(listed).toHaveLength(product.listedMonths);
        for (let i = 0; i < listed.length; i++) {
          const contract = listed[i]!;
          expect(futuresCalendar.contract(symbol, contract.contractMonth)).toEqual(contract); // in cycle
          expect(expiry(contract)).toBeGreaterThan(now);
          if (i > 0) {
            expect(contract.contractMonth > listed[i - 1]!.contractMonth).toBe(true);
            expect(expiry(contract)).toBeGreaterThan(expiry(listed[i - 1]!));
          }
        }
        // Every cycle month before the front, as far back as a year, has expired.
        for (let back = 1; back <= 12; back++) {
          const earlier = futuresCalendar.contract(symbol, monthsBefore(listed[0]!.contractMonth, back));
          if (earlier) expect(expiry(earlier)).toBeLessThanOrEqual(now);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: the answer does not depend on the order instants are asked in (the memo never leaks)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SYMBOLS), fc.array(instant, { minLength: 2, maxLength: 8 }), (symbol, instants) => {
        const fresh = instants.map((now) => futuresCalendar.listed(symbol, now).map((c) => c.contractMonth));
        const reversed = [...instants].reverse().map((now) => futuresCalendar.listed(symbol, now).map((c) => c.contractMonth)).reverse();
        expect(reversed).toEqual(fresh);
      }),
    );
  });

  it('property: first notice never falls after the last trade for products delivered after trading stops, and precedes the contract month for the rest', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SYMBOLS), instant, (symbol, now) => {
        for (const contract of futuresCalendar.listed(symbol, now)) {
          if (!contract.firstNoticeDate) continue;
          if (symbol === 'CL') expect(contract.firstNoticeDate > contract.lastTradeDate).toBe(true);
          else expect(contract.firstNoticeDate.slice(0, 6) < contract.contractMonth).toBe(true);
          expect(futuresCalendar.isBusinessDay(symbol, contract.firstNoticeDate)).toBe(true);
        }
      }),
    );
  });

  it('property: every last trade date is a business day', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SYMBOLS), instant, (symbol, now) => {
        for (const contract of futuresCalendar.listed(symbol, now)) expect(futuresCalendar.isBusinessDay(symbol, contract.lastTradeDate)).toBe(true);
      }),
    );
  });
});
