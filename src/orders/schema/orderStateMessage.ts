import { z } from 'zod';
import { TERMINAL_ORDER_STATES } from '../../machines/orders/orderMachine.ts';
import { orderIdSchema } from './identifiers.ts';

/** The states an order's transitions are written in (the order machine's `persist` entries), in the order an order passes them. */
export const WRITTEN_ORDER_STATES = [
  'validating',
  'holding',
  'checkingMargin',
  'submitting',
  'inDoubt',
  'working',
  'modifying',
  'partiallyFilled',
  'slicing',
  'filled',
  'cancelled',
  'rejected',
  'expired',
  'suspended',
] as const;

/**
 * The event-bus message `order.<state>` every written transition of an order publishes
 * (liveOrders.ts), for in-process subscribers such as the admin API's live events.
 * `schemas/order-state-event.json` is generated from it.
 */
export const orderStateMessageSchema = z.strictObject({
  clientOrderId: orderIdSchema.describe('The order, or a TWAP slice (`<parent>:t<n>`)'),
  state: z
    .string()
    .min(1)
    .describe(`The state just written: ${WRITTEN_ORDER_STATES.join(', ')}; the order is finished in ${TERMINAL_ORDER_STATES.join(', ')}`),
  filledQuantity: z.number().int().nonnegative().describe('Contracts filled so far'),
  averagePrice: z.number().nullable().describe('Volume-weighted over the fills so far; null before the first'),
  at: z.iso.datetime({ offset: true }).describe('When the transition was written'),
});

export type OrderStateMessage = z.output<typeof orderStateMessageSchema>;
