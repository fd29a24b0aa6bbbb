import { z } from 'zod';
import { unionError } from '../../shared/zodIssues.ts';

const SECOND = 1_000;
const DAY = 86_400_000;

const millis = (min: number, max: number) =>
  z.number().int('must be an integer').min(min, `must be at least ${min} ms`).max(max, `must be at most ${max} ms`);

/**
 * Execution algorithms. Bounds: repricing faster than every 250 ms would eat IB's 50 msg/s pacing
 * budget with one order; nothing works longer than a day (DAY orders do not outlive a session);
 * a TWAP slice is at least a second apart and there are at most 500 slices.
 */
export const marketAlgorithmSchema = z.strictObject({ kind: z.literal('market') });

export const limitAlgorithmSchema = z.strictObject({ kind: z.literal('limit') });

export const limitChaseAlgorithmSchema = z
  .strictObject({
    kind: z.literal('limitChase'),
    repriceEveryMs: millis(250, 60 * SECOND),
    deadlineMs: millis(SECOND, DAY),
    atDeadline: z.enum(['cross', 'cancel']),
  })
  .refine((a) => a.repriceEveryMs <= a.deadlineMs, {
    message: 'must not exceed deadlineMs',
    path: ['repriceEveryMs'],
  });

export const twapAlgorithmSchema = z
  .strictObject({
    kind: z.literal('twap'),
    slices: z.number().int('must be an integer').min(2, 'must be at least 2').max(500, 'must be at most 500'),
    durationMs: millis(SECOND, DAY),
  })
  .refine((a) => a.durationMs >= a.slices * SECOND, {
    message: 'must allow at least 1000 ms per slice (durationMs >= slices * 1000)',
    path: ['durationMs'],
  });

export const algorithmSchema = z.discriminatedUnion(
  'kind',
  [marketAlgorithmSchema, limitAlgorithmSchema, limitChaseAlgorithmSchema, twapAlgorithmSchema],
  { error: unionError("must be 'market', 'limit', 'limitChase' or 'twap'") },
);

export type Algorithm = z.infer<typeof algorithmSchema>;
