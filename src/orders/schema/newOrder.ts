import { z } from 'zod';
import { algorithmSchema, type Algorithm } from './algorithm.ts';
import { accountSchema, clientOrderIdSchema, strategyNameSchema } from './identifiers.ts';
import { instrumentSchema } from './instrument.ts';
import { SLICE_SUFFIX_MAX } from '../../machines/orders/algorithms/twapSchedule.ts';
import {
  NEEDS_LIMIT_PRICE,
  NEEDS_STOP_PRICE,
  ORDER_TYPES,
  orderTypeSchema,
  priceSchema,
  quantitySchema,
  sideSchema,
  timeInForceSchema,
  type OrderType,
} from './orderTerms.ts';

/** Which order types each algorithm can drive (a market algorithm cannot work a limit order). */
const ALGORITHM_ORDER_TYPES: Record<Algorithm['kind'], readonly OrderType[]> = {
  market: ['MKT'],
  limit: ['LMT'],
  limitChase: ['LMT'],
  twap: ['MKT', 'LMT'],
};

export const newOrderSchema = z
  .strictObject({
    /** May be omitted: a job without `type` is a new order. */
    type: z.literal('new', { error: "must be 'new', 'cancel' or 'modify'" }).default('new'),
    clientOrderId: clientOrderIdSchema,
    account: accountSchema,
    instrument: instrumentSchema,
    side: sideSchema,
    quantity: quantitySchema,
    orderType: orderTypeSchema,
    limitPrice: priceSchema.optional(),
    stopPrice: priceSchema.optional(),
    timeInForce: timeInForceSchema.default('DAY'),
    algorithm: algorithmSchema.optional(),
    strategy: strategyNameSchema,
    // A zone is required: a deadline without one means different instants on different hosts.
    deadline: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 timestamp with a zone, e.g. 2024-03-15T14:30:00Z' }).optional(),
    riskReducing: z.boolean().optional(),
  })
  .superRefine((order, ctx) => {
    // zod runs this even when other fields failed, so it checks only what it can trust.
    if (!ORDER_TYPES.includes(order.orderType)) return;
    // Messages name orderType too: changing orderType is what usually breaks these.
    const needsLimit = NEEDS_LIMIT_PRICE.has(order.orderType);
    if (needsLimit && order.limitPrice === undefined) {
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: `required for orderType ${order.orderType}` });
    }
    if (!needsLimit && order.limitPrice !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: `not allowed for orderType ${order.orderType}` });
    }
    const needsStop = NEEDS_STOP_PRICE.has(order.orderType);
    if (needsStop && order.stopPrice === undefined) {
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `required for orderType ${order.orderType}` });
    }
    if (!needsStop && order.stopPrice !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `not allowed for orderType ${order.orderType}` });
    }
    const algorithm = order.algorithm;
    if (algorithm === undefined || !Object.hasOwn(ALGORITHM_ORDER_TYPES, algorithm.kind)) return;
    const allowed = ALGORITHM_ORDER_TYPES[algorithm.kind];
    if (!allowed.includes(order.orderType)) {
      ctx.addIssue({
        code: 'custom',
        path: ['algorithm', 'kind'],
        message: `'${algorithm.kind}' needs orderType ${allowed.join(' or ')}, not orderType ${order.orderType}`,
      });
    }
    if (algorithm.kind === 'twap' && typeof order.clientOrderId === 'string' && order.clientOrderId.length > 64 - SLICE_SUFFIX_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientOrderId'],
        message: `must be at most ${64 - SLICE_SUFFIX_MAX} characters for a TWAP order (its slices add ':t<n>')`,
      });
    }
    if (algorithm.kind === 'twap' && Number.isInteger(order.quantity) && algorithm.slices > order.quantity) {
      ctx.addIssue({
        code: 'custom',
        path: ['algorithm', 'slices'],
        message: `must not exceed quantity (${order.quantity}): a slice is at least one contract`,
      });
    }
  });

/** A new order as accepted: `type` is always present and `timeInForce` defaulted. */
export type NewOrder = z.output<typeof newOrderSchema>;
/** A new order as written by a producer: `type` and `timeInForce` may be omitted. */
export type NewOrderInput = z.input<typeof newOrderSchema>;
