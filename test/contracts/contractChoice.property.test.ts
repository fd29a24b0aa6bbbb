import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { chooseContractMonth, NO_CALENDAR, NoContractMonthError, rollDateOf, type ContractPolicy, type RollRule } from '../../src/contracts/index.ts';
import { addDays } from '../../src/shared/calendarDays.ts';
import { lastWeekdayBefore, quarterlyListing, weekdayCalendar, weekdaysBetween, ZONE } from './weekdayCalendar.ts';

const listing = quarterlyListing('202603', 8);
/** The instant an exchange date (YYYYMMDD) begins in the test calendar's zone. */
const startOfExchangeDate = (date: string): number => DateTime.fromFormat(date, 'yyyyMMdd', { zone: ZONE }).toMillis();
const first = Date.parse('2026-01-02T00:00:00Z');
const last = listing[listing.length - 1]!.expiresAt;

const instant = fc.integer({ min: first, max: last - 1 });
const rule = fc.record({ businessDaysBefore: fc.integer({ min: 0, max: 20 }), from: fc.constantFrom<RollRule['from']>('lastTrade', 'firstNotice') });
const symbol = fc.constantFrom('PHYS', 'CASH', 'UNKNOWN');
const policy: fc.Arbitrary<ContractPolicy> = fc.oneof(
  fc.constant<ContractPolicy>('front'),
  rule.map((roll): ContractPolicy => ({ roll })),
  fc.constantFrom(...listing.map((l) => l.contractMonth as ContractPolicy), '202512' as ContractPolicy),
);

describe('contract month choice (pure): listed months, a policy, an instant and a calendar in; one month out', () => {
  it('is always a listed month that has not expired at T (an explicit month that is not listed or has expired is refused)', () => {
    fc.assert(
      fc.property(symbol, policy, instant, (s, p, t) => {
        let chosen;
        try {
          chosen = chooseContractMonth(s, listing, p, t, weekdayCalendar);
        } catch (error) {
          expect(error).toBeInstanceOf(NoContractMonthError);
          expect(typeof p === 'string' && p !== 'front').toBe(true);
          expect(listing.some((l) => l.contractMonth === p && l.expiresAt > t)).toBe(false);
          return;
        }
        expect(listing).toContain(chosen);
        expect(chosen.expiresAt).toBeGreaterThan(t);
        if (typeof p === 'string' && p !== 'front') expect(chosen.contractMonth).toBe(p);
      }),
      { numRuns: 500 },
    );
  });

  it('never goes back to an earlier month as T increases', () => {
    fc.assert(
      fc.property(symbol, fc.oneof(fc.constant<ContractPolicy>('front'), rule.map((roll): ContractPolicy => ({ roll }))), instant, instant, (s, p, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const before = chooseContractMonth(s, listing, p, early, weekdayCalendar).contractMonth;
        const after = chooseContractMonth(s, listing, p, late, weekdayCalendar).contractMonth;
        expect(after >= before).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('rolls exactly N business days before the rule date, at the start of that exchange day', () => {
    fc.assert(
      fc.property(fc.constantFrom('PHYS', 'CASH'), rule, fc.integer({ min: 0, max: listing.length - 2 }), (s, roll, i) => {
        const month = listing[i]!;
        const next = listing[i + 1]!;
        const rollDate = rollDateOf(s, month, roll, weekdayCalendar);
        const ruleDate = roll.from === 'firstNotice' && s === 'PHYS' ? lastWeekdayBefore(month.contractMonth) : month.lastTradeDate;
        expect(weekdaysBetween(rollDate, ruleDate)).toBe(roll.businessDaysBefore);
        expect(weekdayCalendar.addBusinessDays(s, rollDate, 0)).toBe(rollDate);
        const rollsAt = startOfExchangeDate(rollDate);
        // Months before this one have rolled by then (their rule dates are earlier), so the choice is this month, then the next.
        expect(chooseContractMonth(s, listing, { roll }, rollsAt - 1, weekdayCalendar).contractMonth).toBe(month.contractMonth);
        expect(chooseContractMonth(s, listing, { roll }, rollsAt, weekdayCalendar).contractMonth).toBe(next.contractMonth);
      }),
      { numRuns: 300 },
    );
  });

  it('counts calendar days from the last trade date for a symbol the calendar does not know (first notice unknown)', () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: 0, max: listing.length - 2 }), (roll, i) => {
        const month = listing[i]!;
        const rollDate = rollDateOf('UNKNOWN', month, roll, NO_CALENDAR);
        expect(rollDate).toBe(addDays(month.lastTradeDate, -roll.businessDaysBefore));
        const rollsAt = startOfExchangeDate(rollDate);
        expect(chooseContractMonth('UNKNOWN', listing, { roll }, rollsAt - 1, NO_CALENDAR).contractMonth).toBe(month.contractMonth);
        expect(chooseContractMonth('UNKNOWN', listing, { roll }, rollsAt, NO_CALENDAR).contractMonth).toBe(listing[i + 1]!.contractMonth);
      }),
      { numRuns: 200 },
    );
  });

  it('front is the nearest unexpired month, until its last trade time passes', () => {
    const march = listing[0]!;
    expect(chooseContractMonth('CASH', listing, 'front', march.expiresAt - 1, weekdayCalendar).contractMonth).toBe('202603');
    expect(chooseContractMonth('CASH', listing, 'front', march.expiresAt, weekdayCalendar).contractMonth).toBe('202606');
    expect(() => chooseContractMonth('CASH', [], 'front', first, weekdayCalendar)).toThrow(/lists no unexpired CASH futures contract/);
    expect(() => chooseContractMonth('CASH', listing, '202603', march.expiresAt, weekdayCalendar)).toThrow(/CASH 202603 .* is not listed or has expired; listed: 202606/);
  });
});
