import type { Fill } from '../machines/orders/orderTypes.ts';

/**
 * The executions that took an order's filled quantity past `before`: the part of each that is new
 * (an execution straddling `before` counts only above it).
 */
export function newExecutions(fills: readonly Fill[], before: number): { fill: Fill; quantity: number }[] {
  const added: { fill: Fill; quantity: number }[] = [];
  let booked = 0;
  for (const fill of fills) {
    const end = booked + fill.quantity;
    if (end > before) added.push({ fill, quantity: Math.min(fill.quantity, end - before) });
    booked = end;
  }
  return added;
}
