import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import fixture from '../fixtures/futuresExpiries.2026-2027.json' with { type: 'json' };
import { CME_HOLIDAYS_2026_2027, futuresCalendar, projectedHolidays } from '../../../src/instruments/calendar/index.ts';

const at = (iso: string, zone: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const CT = 'America/Chicago';

describe('futures calendar: expiries against the hand-worked 2026–2027 fixture', () => {
  it.each(fixture.contracts.map((row) => [`${row.localSymbol} (${row.symbol} ${row.contractMonth})`, row] as const))(
    '%s: last trade, first notice and local symbol as the rulebook gives them',
    (_name, row) => {
      const contract = futuresCalendar.contract(row.symbol, row.contractMonth);
      expect(contract).toEqual({
        symbol: row.symbol,
        contractMonth: row.contractMonth,
        lastTradeDate: row.lastTradeDate,
        lastTradeTime: expect.stringMatching(/^\d{2}:\d{2}$/),
        localSymbol: row.localSymbol,
        ...('firstNoticeDate' in row ? { firstNoticeDate: row.firstNoticeDate } : {}),
      });
    },
  );

  it('covers every default product', () => {
    expect(new Set(fixture.contracts.map((row) => row.symbol))).toEqual(new Set(['ES', 'NQ', 'ZN', 'ZB', '6E', 'CL', 'GC', 'ZC', 'ZW']));
  });

  it.each(fixture.holidays.map((row) => [row.date, row.name] as const))('%s (%s) is not a business day for any product', (date) => {
    for (const symbol of ['ES', 'ZN', '6E', 'CL', 'GC', 'ZC']) expect(futuresCalendar.isBusinessDay(symbol, date)).toBe(false);
  });

  it.each(fixture.earlyCloses.map((row) => [row.date, row.name] as const))('%s (%s) closes early but is a business day', (date) => {
    expect(futuresCalendar.isBusinessDay('ES', date)).toBe(true);
  });

  it('the holiday table lists exactly the fixture holidays and early closes', () => {
    const fixtureDates = [...fixture.holidays, ...fixture.earlyCloses].map((row) => row.date).sort();
    expect(CME_HOLIDAYS_2026_2027.map((row) => row.date)).toEqual(fixtureDates);
  });

  it('the holiday rules reproduce the published 2026 and 2027 tables (so projected years follow the same rules)', () => {
    const strip = (rows: readonly { date: string; treatment: string }[]): string[] => rows.map((row) => `${row.date} ${row.treatment}`);
    expect([...strip(projectedHolidays(2026)), ...strip(projectedHolidays(2027))]).toEqual(strip(CME_HOLIDAYS_2026_2027));
  });

  it('ES on 5 Dec 2026: the front is Dec-26 (last trade 18 Dec), then the next four quarterlies', () => {
    const listed = futuresCalendar.listed('ES', at('2026-12-05T12:00', CT));
    expect(listed.map((c) => c.contractMonth)).toEqual(['202612', '202703', '202706', '202709', '202712']);
    expect(listed[0]).toMatchObject({ lastTradeDate: '20261218', lastTradeTime: '08:30', localSymbol: 'ESZ6' });
  });

  it('a month disappears at its last trade instant on the exchange clock, and the next quarterly is added', () => {
    const before = futuresCalendar.listed('ES', at('2026-12-18T08:29:59.999', CT));
    const after = futuresCalendar.listed('ES', at('2026-12-18T08:30', CT));
    expect(before[0]!.contractMonth).toBe('202612');
    expect(after.map((c) => c.contractMonth)).toEqual(['202703', '202706', '202709', '202712', '202803']);
  });

  it('CL lists by delivery month while its last trade falls in the month before', () => {
    const listed = futuresCalendar.listed('CL', at('2026-12-21T14:29', 'America/New_York'));
    expect(listed[0]).toMatchObject({ contractMonth: '202701', lastTradeDate: '20261221', localSymbol: 'CLF7', firstNoticeDate: '20261222' });
    expect(listed[1]).toMatchObject({ contractMonth: '202702', lastTradeDate: '20270120', localSymbol: 'CLG7' });
    expect(listed).toHaveLength(36);
    expect(futuresCalendar.listed('CL', at('2026-12-21T14:30', 'America/New_York'))[0]!.localSymbol).toBe('CLG7');
  });

  it('agrees with the instrument table front months (ESH7, ZN   MAR 27, CLG7, GCG7, ZC   MAR 27, 6EH7)', () => {
    expect(futuresCalendar.contract('ES', '202703')?.lastTradeDate).toBe('20270319');
    expect(futuresCalendar.contract('ZN', '202703')).toMatchObject({ lastTradeDate: '20270319', localSymbol: 'ZN   MAR 27' });
    expect(futuresCalendar.contract('CL', '202702')?.lastTradeDate).toBe('20270120');
    expect(futuresCalendar.contract('GC', '202702')?.lastTradeDate).toBe('20270224');
    expect(futuresCalendar.contract('ZC', '202703')?.lastTradeDate).toBe('20270312');
    expect(futuresCalendar.contract('6E', '202703')?.lastTradeDate).toBe('20270315');
  });

  it('off-cycle and malformed months have no contract; unknown symbols are not known', () => {
    expect(futuresCalendar.contract('ES', '202701')).toBeUndefined();
    expect(futuresCalendar.contract('GC', '202703')).toBeUndefined();
    expect(futuresCalendar.contract('ZC', '202706')).toBeUndefined();
    expect(futuresCalendar.contract('ES', '202613')).toBeUndefined();
    expect(futuresCalendar.contract('ES', 'Z6')).toBeUndefined();
    expect(futuresCalendar.knows('ES')).toBe(true);
    expect(futuresCalendar.knows('XYZ')).toBe(false);
  });

  it('time zones are IB ids', () => {
    expect(futuresCalendar.timeZoneId('ES')).toBe('US/Central');
    expect(futuresCalendar.timeZoneId('ZC')).toBe('US/Central');
    expect(futuresCalendar.timeZoneId('CL')).toBe('US/Eastern');
    expect(futuresCalendar.timeZoneId('GC')).toBe('US/Eastern');
  });

  it('repeated listings within a day return the memoised list, not a new one', () => {
    const first = futuresCalendar.listed('CL', at('2027-03-02T10:00', 'America/New_York'));
    const again = futuresCalendar.listed('CL', at('2027-03-02T10:00:01', 'America/New_York'));
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
