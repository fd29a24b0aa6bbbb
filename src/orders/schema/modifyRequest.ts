import { z } from 'zod';
import { clientOrderIdSchema } from './identifiers.ts';
import { priceSchema, quantitySchema } from './orderTerms.ts';

/**
 * Whether the new prices fit the order's type is only known against the live order, so that check
 * belongs to the order actor, not here.
 */
export const modifyRequestSchema = z
  .strictObject({
    type: z.literal('modify'),
    clientOrderId: clientOrderIdSchema,
    quantity: quantitySchema.optional(),
    limitPrice: priceSchema.optional(),
    stopPrice: priceSchema.optional(),
  })
  .refine((m) => m.quantity !== undefined || m.limitPrice !== undefined || m.stopPrice !== undefined, {
    message: 'a modify needs at least one of quantity, limitPrice, stopPrice',
    path: [],
  });

export type ModifyRequest = z.output<typeof modifyRequestSchema>;
