import { z } from 'zod';
import { orderIdSchema } from '../orders/schema/index.ts';
import { STREAM_ID_PATTERN } from './streamIds.ts';

export const DEFAULT_READ_LIMIT = 1_000;
export const MAX_READ_LIMIT = 10_000;

const epochMs = z.number().int('must be an integer (epoch ms, UTC)').min(0, 'must not be negative');

/**
 * `fromMs` and `toMs` are inclusive. Page through a long range with `afterId`: pass the id of the
 * last entry you got, and the read starts just after it.
 */
export const readRangeOptionsSchema = z
  .strictObject({
    fromMs: epochMs.optional(),
    toMs: epochMs.optional(),
    clientOrderId: orderIdSchema.optional(),
    limit: z
      .number()
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(MAX_READ_LIMIT, `must be at most ${MAX_READ_LIMIT}`)
      .default(DEFAULT_READ_LIMIT),
    afterId: z.string().regex(STREAM_ID_PATTERN, 'must be a stream id like 1710513000123-0').optional(),
  })
  .refine((o) => o.fromMs === undefined || o.toMs === undefined || o.fromMs <= o.toMs, {
    message: 'must not be after toMs',
    path: ['fromMs'],
  });

export type ReadRangeOptions = z.input<typeof readRangeOptionsSchema>;
export type ResolvedReadRangeOptions = z.output<typeof readRangeOptionsSchema>;
