import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filingDeadline, nextClose } from '../../../src/regulatory/monitoring/closeSchedule.ts';
import { isWeekday, wallClockAt } from '../../../src/shared/calendarDays.ts';
import { DEFAULT_REGULATORY_MONITOR_CONFIG as schedule } from '../../../src/regulatory/monitoring/monitoringConfig.ts';

// 2020 to 2035: both sides of many DST changes in Chicago and New York.
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) });
// Close times away from 02:00-03:00, the hour DST skips or repeats.
const closeTime = fc.tuple(fc.integer({ min: 4, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const zone = fc.constantFrom('America/Chicago', 'America/New_York', 'Europe/London', 'Asia/Tokyo', 'UTC');

describe('day close schedule', () => {
  it('the next close is after now, on a weekday, at the close time on the zone\'s clock, and none is skipped', () => {
    fc.assert(
      fc.property(instant, closeTime, zone, (now, time, closeTimeZone) => {
        const close = nextClose(now, { closeTime: time, closeTimeZone });
        expect(close.atMs).toBeGreaterThan(now);
        const wall = wallClockAt(close.atMs, closeTimeZone);
        expect(wall.day).toBe(close.day);
        expect(`${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`).toBe(time);
        expect(isWeekday(close.day)).toBe(true);
        // The same close is next from any instant before it: no weekday close lies in between.
        const between = now + Math.floor((close.atMs - now) / 2);
        expect(nextClose(between, { closeTime: time, closeTimeZone })).toEqual(close);
        expect(close.atMs - now).toBeLessThanOrEqual(4 * 86_400_000);
      }),
      { numRuns: 300 },
    );
  });

  it('a day\'s filing deadline is the next business day at the deadline time, after the close', () => {
    fc.assert(
      fc.property(instant, (now) => {
        const close = nextClose(now, schedule);
        const deadline = Date.parse(filingDeadline(close.day, schedule));
        expect(deadline).toBeGreaterThan(close.atMs);
        const wall = wallClockAt(deadline, schedule.deadlineTimeZone);
        expect([wall.hour, wall.minute]).toEqual([9, 0]);
        expect(isWeekday(wall.day)).toBe(true);
        expect(wall.day > close.day).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('follows DST: a Friday close in Chicago, filed Monday 9:00 Eastern after the clocks change', () => {
    // 2025-03-07 is a Friday (CST, UTC-6); New York moves to EDT (UTC-4) on Sunday 2025-03-09.
    expect(nextClose(Date.parse('2025-03-07T20:00:00Z'), schedule)).toEqual({ day: '2025-03-07', atMs: Date.parse('2025-03-07T23:00:00Z') });
    expect(filingDeadline('2025-03-07', schedule)).toBe('2025-03-10T13:00:00.000Z');
    // After Friday's close the next one is Monday's.
    expect(nextClose(Date.parse('2025-03-07T23:00:00Z'), schedule).day).toBe('2025-03-10');
  });
});
