import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettableClock } from '../../src/shared/settableClock.ts';
import { parseDurationMs } from '../../src/shared/durationText.ts';
import { parseIsoInstant } from '../../src/shared/instantText.ts';

/** A base clock the test moves by hand, standing in for real time. */
function manualBase(start = 1_000_000) {
  let now = start;
  return { clock: { now: () => now }, pass: (ms: number) => (now += ms) };
}

describe('SettableClock', () => {
  it('starts at the given instant and runs with its base clock, through any sets and advances', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('pass' as const), ms: fc.integer({ min: 0, max: 10_000_000 }) }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 400_000_000 }) }),
      fc.record({ kind: fc.constant('set' as const), ms: fc.integer({ min: 0, max: 4_000_000_000_000 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.array(step, { maxLength: 30 }), (start, steps) => {
        const base = manualBase();
        const clock = new SettableClock(base.clock, start);
        let expected = start;
        expect(clock.now()).toBe(expected);
        for (const s of steps) {
          if (s.kind === 'pass') base.pass(s.ms);
          else if (s.kind === 'advance') clock.advanceBy(s.ms);
          else clock.setTo(s.ms);
          expected = s.kind === 'set' ? s.ms : expected + s.ms;
          expect(clock.now()).toBe(expected);
        }
      }),
    );
  });

  it('without a start instant reads its base clock', () => {
    const base = manualBase(42);
    const clock = new SettableClock(base.clock);
    expect(clock.now()).toBe(42);
    base.pass(8);
    expect(clock.now()).toBe(50);
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['3d', 259_200_000],
    ['2h', 7_200_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['1h30m', 5_400_000],
    ['1w', 604_800_000],
    ['1500', 1500],
    [1500, 1500],
    [0, 0],
    [' 2H ', 7_200_000],
  ] as const)('%j is %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', 'soon', '-3d', '1.5h', '3 days', 'd', '3x', '2h-1m'] as const)('refuses %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the number %d', (n) => {
    expect(parseDurationMs(n)).toBeUndefined();
  });

  it('sums its parts, whatever their order', () => {
    const UNIT: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
    const part = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(...Object.keys(UNIT)));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), (parts) => {
        const text = parts.map(([n, u]) => `${n}${u}`).join('');
        expect(parseDurationMs(text)).toBe(parts.reduce((sum, [n, u]) => sum + n * (UNIT[u] as number), 0));
      }),
    );
  });
});

describe('parseIsoInstant', () => {
  it('reads instants with a zone', () => {
    expect(parseIsoInstant('2026-12-07T15:00:00Z')).toBe(Date.UTC(2026, 11, 7, 15));
    expect(parseIsoInstant('2026-12-07T09:00:00-06:00')).toBe(Date.UTC(2026, 11, 7, 15));
    expect(parseIsoInstant('2026-12-07T15:00:00.250Z')).toBe(Date.UTC(2026, 11, 7, 15, 0, 0, 250));
  });

  it.each(['2026-12-07T15:00:00', '2026-12-07', '2026-12-07 15:00:00Z', 'monday', '', '2026-13-07T15:00:00Z'])('refuses %j', (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });
});
