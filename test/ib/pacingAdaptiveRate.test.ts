import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AdaptiveRate, DEFAULT_ADAPTIVE_RATE, OutboundQueue, TokenBucket } from '../../src/ib/pacing/index.ts';
import { classifyMessage } from '../../src/ib/messageCodes/index.ts';

describe('AdaptiveRate', () => {
  it('runs at the configured rate until error 100 arrives', () => {
    const rate = new AdaptiveRate();
    expect(rate.rateAt(0)).toBe(45);
    expect(rate.rateAt(3_600_000)).toBe(45);
  });

  it('halves on error 100 and never goes below the floor', () => {
    const rate = new AdaptiveRate({ configuredRate: 40, floorRate: 8, holdoffMs: 0 });
    expect(rate.onPacingViolation(0)).toBe(20);
    expect(rate.onPacingViolation(1)).toBe(10);
    expect(rate.onPacingViolation(2)).toBe(8);
    expect(rate.onPacingViolation(3)).toBe(8);
  });

  it('steps down once per burst: errors inside the holdoff do not compound', () => {
    const rate = new AdaptiveRate({ configuredRate: 40, holdoffMs: 1_000 });
    expect(rate.onPacingViolation(0)).toBe(20);
    expect(rate.onPacingViolation(200)).toBe(20);
    expect(rate.onPacingViolation(999)).toBe(20);
    expect(rate.onPacingViolation(1_999)).toBe(10);
  });

  it('recovers additively, one step per quiet interval, back to the configured rate and no further', () => {
    const rate = new AdaptiveRate({ configuredRate: 45, increaseStep: 5, quietIntervalMs: 10_000 });
    rate.onPacingViolation(0); // 22.5
    expect(rate.rateAt(9_999)).toBe(22.5);
    expect(rate.rateAt(10_000)).toBe(27.5);
    expect(rate.rateAt(25_000)).toBe(32.5);
    expect(rate.rateAt(30_000)).toBe(37.5);
    expect(rate.rateAt(1_000_000)).toBe(45);
  });

  it('restarts the quiet interval on every error 100, even an echo inside the holdoff', () => {
    const rate = new AdaptiveRate({ configuredRate: 40, increaseStep: 5, quietIntervalMs: 10_000, holdoffMs: 1_000 });
    rate.onPacingViolation(0); // 20
    rate.onPacingViolation(500); // echo: no step down, but not quiet
    expect(rate.rateAt(10_000)).toBe(20);
    expect(rate.rateAt(10_500)).toBe(25);
  });

  it('keeps partial progress through a quiet interval when the rate is read mid-interval', () => {
    const rate = new AdaptiveRate({ configuredRate: 40, increaseStep: 5, quietIntervalMs: 10_000 });
    rate.onPacingViolation(0);
    rate.rateAt(15_000);
    expect(rate.rateAt(20_000)).toBe(30);
  });

  it('applies a configured rate change at once, or as the new target while recovering', () => {
    const rate = new AdaptiveRate({ configuredRate: 40, increaseStep: 5, quietIntervalMs: 10_000 });
    rate.setConfiguredRate(30, 0);
    expect(rate.rateAt(0)).toBe(30);
    rate.setConfiguredRate(44, 0);
    expect(rate.rateAt(0)).toBe(44);
    rate.onPacingViolation(1_000); // 22
    rate.setConfiguredRate(48, 2_000);
    expect(rate.rateAt(2_000)).toBe(22);
    expect(rate.rateAt(1_000_000)).toBe(48);
    rate.onPacingViolation(2_000_000); // 24
    rate.setConfiguredRate(10, 2_000_001);
    expect(rate.rateAt(2_000_001)).toBe(10);
  });

  it('rejects configurations that cannot work', () => {
    expect(() => new AdaptiveRate({ decreaseFactor: 1 })).toThrow(RangeError);
    expect(() => new AdaptiveRate({ floorRate: 0 })).toThrow(RangeError);
    expect(() => new AdaptiveRate({ configuredRate: 4, floorRate: 5 })).toThrow(RangeError);
    expect(() => new AdaptiveRate({ quietIntervalMs: 0 })).toThrow(RangeError);
    expect(() => new AdaptiveRate().setConfiguredRate(1, 0)).toThrow(RangeError);
  });

  it('property: the rate stays within [floor, configured] for any sequence of errors and reads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ violation: fc.boolean(), gapMs: fc.integer({ min: 0, max: 30_000 }) }), { maxLength: 100 }),
        (events) => {
          const rate = new AdaptiveRate();
          let now = 0;
          for (const e of events) {
            now += e.gapMs;
            const r = e.violation ? rate.onPacingViolation(now) : rate.rateAt(now);
            expect(r).toBeGreaterThanOrEqual(DEFAULT_ADAPTIVE_RATE.floorRate);
            expect(r).toBeLessThanOrEqual(DEFAULT_ADAPTIVE_RATE.configuredRate);
          }
        },
      ),
    );
  });

  it('slows the outbound queue when wired as the connection actor will wire it', () => {
    const bucket = new TokenBucket({ ratePerSecond: 40, burst: 1 });
    const adaptive = new AdaptiveRate({ configuredRate: 40 });
    const queue = new OutboundQueue<number>(bucket);
    for (let i = 0; i < 100; i++) queue.enqueue(i, 'data');
    const sentBy = (until: number) => {
      let sent = 0;
      for (let now = 0; now <= until; now++) {
        bucket.setRate(adaptive.rateAt(now), now);
        queue.drain(now, () => sent++);
      }
      return sent;
    };
    expect(classifyMessage(100).action).toBe('slow_down');
    adaptive.onPacingViolation(0);
    // 20 msg/s after the step down: 1 burst token + 20 earned in the first second.
    expect(sentBy(1_000)).toBe(21);
  });
});
