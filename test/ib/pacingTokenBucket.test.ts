import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_TOKEN_BUCKET, IB_MAX_MESSAGES_PER_SECOND, TokenBucket } from '../../src/ib/pacing/index.ts';

const takeAll = (bucket: TokenBucket, now: number) => {
  let n = 0;
  while (bucket.tryTake(now)) n++;
  return n;
};

describe('TokenBucket', () => {
  it('defaults to 45 msg/s with a burst of 5, so no one-second window can exceed IB’s 50', () => {
    const bucket = new TokenBucket();
    expect(bucket.ratePerSecond).toBe(45);
    expect(bucket.burst).toBe(5);
    expect(DEFAULT_TOKEN_BUCKET.ratePerSecond + DEFAULT_TOKEN_BUCKET.burst).toBeLessThanOrEqual(IB_MAX_MESSAGES_PER_SECOND);
  });

  it('starts full: allows the burst at once, then refuses', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3 });
    expect(takeAll(bucket, 0)).toBe(3);
    expect(bucket.tryTake(0)).toBe(false);
  });

  it('refills at the configured rate and says exactly when the next token is due', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1 });
    expect(bucket.tryTake(1_000)).toBe(true);
    expect(bucket.nextAvailableAt(1_000)).toBe(1_100);
    expect(bucket.tryTake(1_099)).toBe(false);
    expect(bucket.nextAvailableAt(1_099)).toBe(1_100);
    expect(bucket.tryTake(1_100)).toBe(true);
  });

  it('reports now when a token is available', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 2 });
    expect(bucket.nextAvailableAt(500)).toBe(500);
  });

  it('never holds more than the burst, however long it idles', () => {
    const bucket = new TokenBucket({ ratePerSecond: 100, burst: 4 });
    bucket.tryTake(0);
    expect(takeAll(bucket, 3_600_000)).toBe(4);
  });

  it('rounds a fractional wait up to a whole millisecond that really has a token', () => {
    const bucket = new TokenBucket({ ratePerSecond: 3, burst: 1 });
    bucket.tryTake(0);
    const next = bucket.nextAvailableAt(0);
    expect(next).toBe(334);
    expect(bucket.tryTake(333)).toBe(false);
    expect(bucket.tryTake(next)).toBe(true);
  });

  it('changes rate at run time, keeping what was earned at the old rate', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 10 });
    takeAll(bucket, 0);
    bucket.setRate(100, 500); // 5 tokens earned at 10/s
    expect(bucket.ratePerSecond).toBe(100);
    expect(takeAll(bucket, 500)).toBe(5);
    expect(bucket.nextAvailableAt(500)).toBe(510);
  });

  it('earns nothing when the clock steps backwards', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1 });
    bucket.tryTake(10_000);
    expect(bucket.tryTake(5_000)).toBe(false);
    expect(bucket.tryTake(10_050)).toBe(false);
    expect(bucket.tryTake(10_100)).toBe(true);
  });

  it('rejects configurations that could never send', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(RangeError);
    expect(() => new TokenBucket({ ratePerSecond: NaN })).toThrow(RangeError);
    expect(() => new TokenBucket({ burst: 0.5 })).toThrow(RangeError);
    expect(() => new TokenBucket().setRate(-1, 0)).toThrow(RangeError);
  });

  it('property: whenever it says a token is due, taking it succeeds', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 200, noNaN: true }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 2_000 }), { maxLength: 60 }),
        (rate, burst, gaps) => {
          const bucket = new TokenBucket({ ratePerSecond: rate, burst });
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            takeAll(bucket, now);
            const due = bucket.nextAvailableAt(now);
            expect(due).toBeGreaterThan(now);
            expect(bucket.tryTake(due)).toBe(true);
            now = due;
          }
        },
      ),
    );
  });
});
