import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, GATEWAY_FAULTS, faultSchedule, type FaultCounts } from '../../chaos/_faultSchedule.ts';
import { SeededRandom } from '../../src/shared/seededRandom.ts';

const countsArb = fc.record(Object.fromEntries(FAULT_KINDS.map((k) => [k, fc.integer({ min: 0, max: 6 })])) as Record<keyof FaultCounts, fc.Arbitrary<number>>);

describe('faultSchedule', () => {
  it('has each kind as often as asked, in order of time, within the window, and the same for the same seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), countsArb, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 300_000 }), (seed, counts, from, span) => {
        const schedule = faultSchedule(new SeededRandom(seed), counts, from, from + span);
        for (const kind of FAULT_KINDS) expect(schedule.filter((f) => f.kind === kind)).toHaveLength(counts[kind]);
        for (const fault of schedule) {
          expect(fault.atMs).toBeGreaterThanOrEqual(from);
          expect(fault.atMs).toBeLessThan(from + span);
          expect(fault.gateway !== undefined).toBe(fault.kind === 'gateway');
        }
        expect(schedule.map((f) => f.atMs)).toEqual([...schedule.map((f) => f.atMs)].sort((a, b) => a - b));
        expect(faultSchedule(new SeededRandom(seed), counts, from, from + span)).toEqual(schedule);
      }),
      { numRuns: 200 },
    );
  });

  it('takes turns among the gateway faults, so three cover drop, half-open and 1100 → 1101', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 3, max: 9 }), (seed, gateway) => {
        const counts = { ...(Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as FaultCounts), gateway };
        const kinds = faultSchedule(new SeededRandom(seed), counts, 0, 60_000).map((f) => f.gateway);
        for (const variant of GATEWAY_FAULTS) expect(kinds.filter((k) => k === variant).length).toBeGreaterThanOrEqual(Math.floor(gateway / 3));
      }),
      { numRuns: 100 },
    );
  });
});
