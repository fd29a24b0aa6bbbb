import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callOutcome } from '../../src/machines/circuitBreaker/callOutcome.ts';
import { createSlidingWindow, NoWindow, type SlidingWindow } from '../../src/machines/circuitBreaker/slidingWindow.ts';

const SUCCESS = callOutcome(false, false);
const FAILURE = callOutcome(true, false);
const SLOW_SUCCESS = callOutcome(false, true);
const SLOW_FAILURE = callOutcome(true, true);

function counts(window: SlidingWindow) {
  return {
    calls: window.numberOfCalls,
    failed: window.numberOfFailedCalls,
    slow: window.numberOfSlowCalls,
    slowFailed: window.numberOfSlowFailedCalls,
  };
}

describe('count-based sliding window', () => {
  it('holds the last N calls and computes rates over them', () => {
    const window = createSlidingWindow('COUNT_BASED', 3);
    window.record(FAILURE, 0);
    window.record(SLOW_SUCCESS, 0);
    expect(counts(window)).toEqual({ calls: 2, failed: 1, slow: 1, slowFailed: 0 });
    expect(window.failureRate).toBe(50);
    window.record(SLOW_FAILURE, 0);
    window.record(SUCCESS, 0); // evicts the first failure
    expect(counts(window)).toEqual({ calls: 3, failed: 1, slow: 2, slowFailed: 1 });
    expect(window.numberOfSuccessfulCalls).toBe(2);
    expect(window.slowCallRate).toBeCloseTo(200 / 3);
  });

  it('reports rates of 0 when empty', () => {
    const window = createSlidingWindow('COUNT_BASED', 5);
    expect([window.failureRate, window.slowCallRate]).toEqual([0, 0]);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => createSlidingWindow('COUNT_BASED', 0)).toThrow(/positive integer/);
  });
});

describe('time-based sliding window', () => {
  it('aggregates per epoch second and drops seconds older than the window', () => {
    const window = createSlidingWindow('TIME_BASED', 3);
    window.record(FAILURE, 1_000);
    window.record(FAILURE, 1_999);
    window.record(SUCCESS, 2_500);
    window.record(SUCCESS, 3_000);
    expect(counts(window).calls).toBe(4);
    window.record(SUCCESS, 4_000); // seconds 2..4 remain
    expect(counts(window)).toEqual({ calls: 3, failed: 0, slow: 0, slowFailed: 0 });
  });

  it('empties entirely after a gap longer than the window', () => {
    const window = createSlidingWindow('TIME_BASED', 3);
    for (let i = 0; i < 5; i += 1) window.record(SLOW_FAILURE, 10_000 + i);
    window.record(SUCCESS, 60_000);
    expect(counts(window)).toEqual({ calls: 1, failed: 0, slow: 0, slowFailed: 0 });
  });

  it('counts a timestamp older than the newest in the newest second', () => {
    const window = createSlidingWindow('TIME_BASED', 2);
    window.record(SUCCESS, 5_000);
    window.record(FAILURE, 1_000);
    window.record(SUCCESS, 6_000);
    expect(counts(window).calls).toBe(3);
    window.record(SUCCESS, 7_000);
    expect(counts(window)).toEqual({ calls: 2, failed: 0, slow: 0, slowFailed: 0 });
  });
});

describe('the window of states that record nothing', () => {
  it('stays empty', () => {
    const window = new NoWindow();
    window.record(FAILURE, 0);
    expect(counts(window)).toEqual({ calls: 0, failed: 0, slow: 0, slowFailed: 0 });
  });
});

describe('sliding windows against a list of every call', () => {
  const outcomeArb = fc.constantFrom(SUCCESS, FAILURE, SLOW_SUCCESS, SLOW_FAILURE);

  function tally(outcomes: number[]) {
    return {
      calls: outcomes.length,
      failed: outcomes.filter((o) => o & 1).length,
      slow: outcomes.filter((o) => o & 2).length,
      slowFailed: outcomes.filter((o) => o === 3).length,
    };
  }

  it('count window = the last N outcomes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(outcomeArb, { maxLength: 60 }), (size, outcomes) => {
        const window = createSlidingWindow('COUNT_BASED', size);
        outcomes.forEach((outcome, i) => {
          window.record(outcome, 0);
          expect(counts(window)).toEqual(tally(outcomes.slice(Math.max(0, i + 1 - size), i + 1)));
        });
      }),
    );
  });

  it('time window = the outcomes whose second is within N of the newest', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(outcomeArb, fc.integer({ min: 0, max: 4_000 })), { maxLength: 60 }),
        (size, steps) => {
          const window = createSlidingWindow('TIME_BASED', size);
          const seen: { outcome: number; second: number }[] = [];
          let now = 0;
          for (const [outcome, gap] of steps) {
            now += gap;
            window.record(outcome, now);
            seen.push({ outcome, second: Math.floor(now / 1000) });
            const newest = Math.floor(now / 1000);
            expect(counts(window)).toEqual(tally(seen.filter((c) => c.second > newest - size).map((c) => c.outcome)));
          }
        },
      ),
    );
  });
});
