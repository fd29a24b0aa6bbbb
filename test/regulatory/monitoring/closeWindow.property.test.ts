import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monitorEventSchemaWithin } from '../../../src/machines/regulatory/monitor/monitorTypes.ts';
import { nextClose } from '../../../src/regulatory/monitoring/closeSchedule.ts';
import { closeDayProblem, closeWindowAt } from '../../../src/regulatory/monitoring/closeWindow.ts';
import { addDays, isWeekday, wallClockAt } from '../../../src/shared/calendarDays.ts';

const CHICAGO = { closeTimeZone: 'America/Chicago', retentionYears: 5 };

describe('the days a close may be asked for', () => {
  it.each([
    ['a Wednesday', '2025-03-05T18:00:00Z', '2020-03-05', '2025-03-06'],
    ['a Friday: up to Monday', '2025-03-07T18:00:00Z', '2020-03-07', '2025-03-10'],
    ['a Saturday: up to Monday', '2025-03-08T18:00:00Z', '2020-03-08', '2025-03-10'],
    ['late Friday evening in Chicago, already Saturday in UTC', '2025-03-08T04:30:00Z', '2020-03-07', '2025-03-10'],
    ['29 February: five years back is the 28th', '2024-02-29T18:00:00Z', '2019-02-28', '2024-03-01'],
  ])('%s', (_label, now, from, to) => {
    expect(closeWindowAt(Date.parse(now), CHICAGO)).toEqual({ from, to, retentionYears: 5 });
  });

  it('names why a day is refused, and accepts both ends', () => {
    const window = closeWindowAt(Date.parse('2025-03-07T18:00:00Z'), CHICAGO);
    expect(closeDayProblem('2025-03-10', window)).toBeNull();
    expect(closeDayProblem('2020-03-07', window)).toBeNull();
    expect(closeDayProblem('2025-03-11', window)).toBe('2025-03-11 is after the next business day (2025-03-10); a day close may be asked for 2020-03-07 to 2025-03-10');
    expect(closeDayProblem('2020-03-06', window)).toBe('2020-03-06 is older than the 5-year retention (oldest 2020-03-07); a day close may be asked for 2020-03-07 to 2025-03-10');
    expect(closeDayProblem('2025-02-30', window)).toBe('"2025-02-30" is not a date YYYY-MM-DD');
  });

  it('the injectable schema checks the window on its clock at each injection, naming day', () => {
    let now = Date.parse('2025-03-07T18:00:00Z');
    const schema = monitorEventSchemaWithin(() => closeWindowAt(now, CHICAGO));
    expect(schema.safeParse({ type: 'CLOSE_DAY' }).success).toBe(true);
    expect(schema.safeParse({ type: 'CLOSE_DAY', day: '2025-03-10' }).success).toBe(true);
    const refused = schema.safeParse({ type: 'CLOSE_DAY', day: '9999-12-31' });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['day', '9999-12-31 is after the next business day (2025-03-10); a day close may be asked for 2020-03-07 to 2025-03-10'],
    ]);
    // A malformed day gets the format message alone, not a window message about it.
    expect(schema.safeParse({ type: 'CLOSE_DAY', day: 'tomorrow' }).error!.issues.map((i) => i.message)).toEqual(['day must be a date YYYY-MM-DD']);
    now = Date.parse('2025-03-12T18:00:00Z');
    expect(schema.safeParse({ type: 'CLOSE_DAY', day: '2025-03-13' }).success).toBe(true);
  });

  it('never refuses the close the timer schedules, and ends on the first weekday after today (any instant, any close zone)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2090-12-31T00:00:00Z') }),
        fc.constantFrom('America/Chicago', 'America/New_York', 'Europe/London', 'Asia/Tokyo', 'Pacific/Kiritimati'),
        fc.integer({ min: 5, max: 100 }),
        (nowMs, closeTimeZone, retentionYears) => {
          const window = closeWindowAt(nowMs, { closeTimeZone, retentionYears });
          const scheduled = nextClose(nowMs, { closeTime: '17:00', closeTimeZone });
          expect(closeDayProblem(scheduled.day, window)).toBeNull();
          const today = wallClockAt(nowMs, closeTimeZone).day;
          expect(closeDayProblem(today, window)).toBeNull();
          expect(isWeekday(window.to)).toBe(true);
          for (let day = addDays(today, 1); day < window.to; day = addDays(day, 1)) expect(isWeekday(day)).toBe(false);
          expect(closeDayProblem(addDays(window.to, 1), window)).not.toBeNull();
          expect(closeDayProblem(addDays(window.from, -1), window)).not.toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});
