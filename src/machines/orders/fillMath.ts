import type { Fill, OrderContext } from './orderTypes.ts';

/**
 * Applies one execution: duplicates (same execId) change nothing, and a fill can never take
 * the order past its quantity (the excess is the broker's break to reconcile, not ours to book).
 */
export function applyFill(context: OrderContext, fill: Fill): Partial<OrderContext> | null {
  if (context.execIds.includes(fill.execId)) return null;
  if (!(fill.quantity > 0) || !Number.isFinite(fill.price)) return null;
  const room = context.order.quantity - context.filledQuantity;
  const quantity = Math.min(fill.quantity, room);
  if (quantity <= 0) return { execIds: [...context.execIds, fill.execId] };
  const booked: Fill = { ...fill, quantity };
  const filledQuantity = context.filledQuantity + quantity;
  const previousNotional = (context.averagePrice ?? 0) * context.filledQuantity;
  return {
    filledQuantity,
    averagePrice: (previousNotional + fill.price * quantity) / filledQuantity,
    commission: context.commission + (fill.commission ?? 0),
    execIds: [...context.execIds, fill.execId],
    fills: [...(context.fills ?? []), booked],
  };
}

export function isFullyFilled(context: OrderContext): boolean {
  return context.filledQuantity >= context.order.quantity;
}
