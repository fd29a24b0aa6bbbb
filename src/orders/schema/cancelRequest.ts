import { z } from 'zod';
import { clientOrderIdSchema } from './identifiers.ts';

export const cancelRequestSchema = z.strictObject({
  type: z.literal('cancel'),
  clientOrderId: clientOrderIdSchema,
});

export type CancelRequest = z.output<typeof cancelRequestSchema>;
