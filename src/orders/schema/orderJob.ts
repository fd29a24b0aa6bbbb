import { z } from 'zod';
import { unionError } from './issueMessages';
import { cancelRequestSchema } from './cancelRequest';
import { modifyRequestSchema } from './modifyRequest';
import { newOrderSchema } from './newOrder';

/** The data of a job on the BullMQ `orders` queue. */
export const orderJobSchema = z.discriminatedUnion('type', [newOrderSchema, cancelRequestSchema, modifyRequestSchema], {
  error: unionError("must be 'new' (or omitted), 'cancel' or 'modify'"),
});

export type OrderJob = z.output<typeof orderJobSchema>;
export type OrderJobInput = z.input<typeof orderJobSchema>;

export const ORDER_QUEUE_NAME = 'orders';
