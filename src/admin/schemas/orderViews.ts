import { z } from 'zod';
import { decodeOrderCursor } from '../../orders/orderCursor.ts';
import { clientOrderIdSchema, orderIdSchema, ORDER_TYPES, priceSchema, quantitySchema, SIDES, strategyNameSchema, TIMES_IN_FORCE } from '../../orders/schema/index.ts';
import { oneOfError } from '../../shared/zodIssues.ts';
import { apiErrorSchema } from './apiErrorSchema.ts';
import { pageLimit } from './pageLimit.ts';

// What the order routes answer, as zod schemas: the OpenAPI document is generated from them, and
// every answer is checked against them as it is sent. The shapes are src/orders' read model
// (orderSummary.ts), which the routes' types tie to these.

const isoTime = z.iso.datetime({ offset: true });

export const orderSummarySchema = z
  .object({
    clientOrderId: z.string(),
    state: z.string().describe("the order machine's state; 'queued' while its job waits on the orders queue"),
    terminal: z.boolean(),
    account: z.string(),
    symbol: z.string(),
    contractMonth: z.string().nullable().describe('YYYYMM; null when not known without asking the broker'),
    side: z.enum(SIDES),
    quantity: z.number().int(),
    orderType: z.enum(ORDER_TYPES),
    limitPrice: z.number().nullable(),
    stopPrice: z.number().nullable(),
    timeInForce: z.enum(TIMES_IN_FORCE),
    strategy: z.string().nullable().describe('null for orders stored before the strategy was kept'),
    filledQuantity: z.number(),
    averagePrice: z.number().nullable(),
    receivedAt: isoTime,
    updatedAt: isoTime,
    url: z.string(),
  })
  .meta({ id: 'OrderSummary', description: 'An order: its terms as received and where it stands' });

const executionSchema = z.object({
  execId: z.string(),
  price: z.number(),
  quantity: z.number(),
  time: isoTime.nullable(),
  commission: z.number().nullable().describe('null until IB reports it'),
});

export const orderDetailSchema = orderSummarySchema
  .extend({
    ibOrderId: z.number().int().nullable(),
    brokerStatus: z.string().nullable(),
    rejectReason: z.string().nullable(),
    commission: z.number(),
    executions: z.array(executionSchema),
    history: z.array(z.looseObject({ at: isoTime, kind: z.string() })).describe("the order's audit trail, oldest first: each record's own fields"),
  })
  .meta({ id: 'OrderDetail', description: 'An order with its executions and its audit trail' });

export const orderPageSchema = z.object({
  orders: z.array(orderSummarySchema),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null once every order was examined (a page may hold fewer than limit)'),
});

export const orderListQuerySchema = z.strictObject({
  state: z
    .enum(['open', 'terminal', 'all'], { error: oneOfError("must be 'open', 'terminal' or 'all'") })
    .default('all')
    .describe('`open`: not in a final state; `terminal`: filled, cancelled, rejected or expired; default `all`'),
  since: z.iso
    .datetime({ offset: true, error: 'must be an ISO-8601 time with a zone, e.g. 2026-12-07T15:00:00Z' })
    .transform((text) => Date.parse(text))
    .optional()
    .describe('received at or after this ISO-8601 time (with a zone)'),
  strategy: strategyNameSchema.optional().describe('only the orders this strategy sent'),
  symbol: z.string().min(1, 'must not be empty').max(16, 'must be at most 16 characters').optional().describe('only orders of this symbol, e.g. `ES`'),
  limit: pageLimit(500, 100),
  cursor: z
    .string()
    .transform((cursor, ctx) => {
      const position = decodeOrderCursor(cursor);
      if (position) return position;
      ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave: pass nextCursor as it came' });
      return z.NEVER;
    })
    .optional()
    .describe('the `nextCursor` of the previous page, as it came'),
});

export const orderIdParamsSchema = z.strictObject({ clientOrderId: orderIdSchema });
export const clientOrderIdParamsSchema = z.strictObject({ clientOrderId: clientOrderIdSchema });

export const orderAcceptedSchema = z.object({
  accepted: z.literal(true),
  clientOrderId: z.string(),
  jobId: z.string().describe('the job on the `orders` queue, named by the clientOrderId (so it is queued once)'),
  url: z.string().describe('where to follow the order (also the `Location` header)'),
});
export const requestQueuedSchema = z.object({
  accepted: z.literal(true),
  clientOrderId: z.string(),
  jobId: z.string().describe('the cancel or modify job on the `orders` queue'),
});

/** A new order whose clientOrderId is taken: the shared error, with the order the id already names. */
export const duplicateOrderSchema = apiErrorSchema
  .extend({ order: orderSummarySchema })
  .meta({ id: 'DuplicateOrder', description: 'The clientOrderId is already stored or queued: `error` says so, `order` is the order it names' });

/** A modify's body, for the OpenAPI document (the runtime validates it as a modify job: at least one change). */
export const modifyBodySchema = z.strictObject({
  quantity: quantitySchema.optional(),
  limitPrice: priceSchema.optional(),
  stopPrice: priceSchema.optional(),
});
