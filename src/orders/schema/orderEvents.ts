import { z } from 'zod';
import type { OrderEvent } from '../../machines/orders/orderTypes.ts';
import { priceSchema, quantitySchema } from './orderTerms.ts';

const reason = z.string().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
const text = (max: number) => z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const code = z.number().int('must be an integer');
/** Finite (zod numbers refuse NaN and Infinity); negative allowed: a commission can be a rebate. */
const money = z.number();

/**
 * What may be injected into an order actor from outside (admin API, CLI): a cancel or a modify,
 * nothing else. The same terms rules as a modify job (priceSchema, quantitySchema), so a MODIFY
 * with `limitPrice: "abc"` or a negative quantity is refused before it reaches the order.
 */
export const orderEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('CANCEL'), reason: reason.optional() }),
  z
    .strictObject({
      type: z.literal('MODIFY'),
      quantity: quantitySchema.optional(),
      limitPrice: priceSchema.optional(),
      stopPrice: priceSchema.optional(),
      reason: reason.optional(),
    })
    .refine((m) => m.quantity !== undefined || m.limitPrice !== undefined || m.stopPrice !== undefined, {
      message: 'a MODIFY needs at least one of quantity, limitPrice, stopPrice',
      path: [],
    }),
]);

const fillSchema = z.strictObject({ execId: text(128), quantity: quantitySchema, price: priceSchema, commission: money.optional() });

/**
 * The broker's events to an order (OrderEvent's `broker.*`). Never injectable in normal running;
 * with `testing.brokerEventInjection` against the simulator they may be, validated by this.
 */
export const brokerEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('broker.submitted'), ibOrderId: z.number().int('must be an integer').min(0, 'must not be negative') }),
  z.strictObject({ type: z.literal('broker.acknowledged'), status: text(64) }),
  z.strictObject({ type: z.literal('broker.fill'), fill: fillSchema }),
  z.strictObject({ type: z.literal('broker.cancelled'), reason: reason.optional() }),
  z.strictObject({ type: z.literal('broker.rejected'), code, reason }),
  z.strictObject({ type: z.literal('broker.cancelFailed'), code, reason }),
  z.strictObject({ type: z.literal('broker.modifyRejected'), code, reason }),
  z.strictObject({ type: z.literal('broker.commission'), execId: text(128), commission: money }),
]);

export type InjectableOrderEvent = z.output<typeof orderEventSchema>;
export type InjectableBrokerEvent = z.output<typeof brokerEventSchema>;

// Kept in step with OrderEvent at compile time: a broker event added there without a schema here,
// or a schema here the machine does not know, fails the typecheck.
type BrokerOrderEvent = Extract<OrderEvent, { type: `broker.${string}` }>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const brokerTypesMatch: Same<BrokerOrderEvent['type'], InjectableBrokerEvent['type']> = true;
const brokerEventsFit: InjectableBrokerEvent extends BrokerOrderEvent ? true : false = true;
const orderEventsFit: InjectableOrderEvent extends OrderEvent ? true : false = true;
void [brokerTypesMatch, brokerEventsFit, orderEventsFit];
