import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { DEFAULT_FILL_STREAM_RETENTION } from '../../src/orders/fillStream.ts';
import { DEFAULT_JOB_RETENTION } from '../../src/orders/jobRetention.ts';
import { configErrorOf } from './configFixture.ts';

describe('orders.fillStream and orders.jobRetention', () => {
  it('default to a stream of about 100,000 fills and jobs kept 24 h / 10,000 completed, 7 days failed: the order side’s own defaults', () => {
    const { orders } = loadConfig({ env: {} });
    expect(orders.fillStream).toEqual({ maxLen: 100_000, dedupeWindowMs: 30 * 86_400_000 });
    expect(orders.fillStream).toEqual(DEFAULT_FILL_STREAM_RETENTION);
    expect(orders.jobRetention).toEqual({ completedAgeMs: 86_400_000, completedCount: 10_000, failedAgeMs: 7 * 86_400_000 });
    expect(orders.jobRetention).toEqual(DEFAULT_JOB_RETENTION);
  });

  it('take what the config sets, key by key', () => {
    const { orders } = loadConfig({ env: {}, overrides: { orders: { fillStream: { maxLen: 5_000 }, jobRetention: { failedAgeMs: 3_600_000 } } } });
    expect(orders.fillStream).toEqual({ maxLen: 5_000, dedupeWindowMs: 30 * 86_400_000 });
    expect(orders.jobRetention).toEqual({ ...DEFAULT_JOB_RETENTION, failedAgeMs: 3_600_000 });
  });

  it('refuse to start on a bad value, naming the key (fast-check)', () => {
    const bad = fc.oneof(fc.constant(0), fc.constant(-1), fc.constant(1.5), fc.constant('100'), fc.constant(null));
    const keys = [
      ['fillStream', 'maxLen'],
      ['fillStream', 'dedupeWindowMs'],
      ['jobRetention', 'completedAgeMs'],
      ['jobRetention', 'failedAgeMs'],
    ] as const;
    fc.assert(
      fc.property(fc.constantFrom(...keys), bad, ([group, key], value) => {
        const error = configErrorOf(() => loadConfig({ env: {}, overrides: { orders: { [group]: { [key]: value } } } }));
        expect(error.issues.map((issue) => issue.path)).toEqual([`orders.${group}.${key}`]);
        expect(error.message).toContain(`orders.${group}.${key}`);
      }),
      { numRuns: 40 },
    );
    for (const value of [-1, 2.5, 'many']) {
      const error = configErrorOf(() => loadConfig({ env: {}, overrides: { orders: { jobRetention: { completedCount: value as never } } } }));
      expect(error.issues.map((issue) => issue.path)).toEqual(['orders.jobRetention.completedCount']);
    }
    const unknown = configErrorOf(() => loadConfig({ env: {}, overrides: { orders: { fillStream: { maxLength: 10 } as never } } }));
    expect(unknown.message).toContain('orders.fillStream');
  });
});
