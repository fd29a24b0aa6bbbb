import { z } from 'zod';
import { unionError } from '../../shared/zodIssues.ts';
import { cancelRequestSchema } from './cancelRequest.ts';
import { modifyRequestSchema } from './modifyRequest.ts';
import { newOrderSchema } from './newOrder.ts';

/** The data of a job on the BullMQ `orders` queue. */
export const orderJobSchema = z.discriminatedUnion('type', [newOrderSchema, cancelRequestSchema, modifyRequestSchema], {
  error: unionError("must be 'new' (or omitted), 'cancel' or 'modify'"),
});

export type OrderJob = z.output<typeof orderJobSchema>;
export type OrderJobInput = z.input<typeof orderJobSchema>;

export const ORDER_QUEUE_NAME = 'orders';
