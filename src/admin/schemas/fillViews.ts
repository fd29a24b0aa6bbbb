import { z } from 'zod';
import { pageLimit } from './pageLimit.ts';

export const streamFillSchema = z
  .object({
    id: z.string().describe('the fills stream entry id: the cursor'),
    execId: z.string(),
    clientOrderId: z.string(),
    parentClientOrderId: z.string().optional().describe('a TWAP slice: the order the strategy sent'),
    account: z.string(),
    symbol: z.string(),
    contractMonth: z.string(),
    side: z.string(),
    price: z.number(),
    quantity: z.number(),
    time: z.string(),
    commission: z.number().nullable().describe('null until IB reports it'),
  })
  .meta({ id: 'Fill', description: 'One execution, at its own price' });

export const fillPageSchema = z.object({
  fills: z.array(streamFillSchema),
  nextCursor: z.string().describe('the last id returned, or since when none: pass it as the next since'),
});

export const fillQuerySchema = z.strictObject({
  since: z
    .string()
    .regex(/^\d{1,20}(-\d{1,20})?$/, 'must be a fills stream id (<ms>-<n>), as nextCursor or a fill id gave it')
    .optional()
    .describe('exclusive; absent: from the oldest fill the stream still holds'),
  limit: pageLimit(1000, 100),
});
