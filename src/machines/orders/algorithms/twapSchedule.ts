/**
 * Splits a quantity into `slices` whole-contract parts that differ by at most one, larger parts
 * first, so the early slices carry the remainder.
 */
export function sliceQuantities(quantity: number, slices: number): number[] {
  const n = Math.max(1, Math.min(slices, quantity));
  const base = Math.floor(quantity / n);
  const extra = quantity - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Slice i is due i * (duration / slices) after the order's start: the first at once, the last one interval before the end. */
export function sliceDueAtMs(index: number, slices: number, durationMs: number): number {
  return Math.round((index * durationMs) / slices);
}

/**
 * Joins a parent's id and a child's suffix. Outside clientOrderIds may not contain it (see
 * clientOrderIdSchema), so a child order's id lives in a namespace no outside id can reach.
 */
export const CHILD_ID_SEPARATOR = ':';

/** A TWAP child's clientOrderId: the parent's plus the slice number, so a re-issued slice is a duplicate, never a second order. */
export function sliceClientOrderId(parent: string, index: number): string {
  return `${parent}${CHILD_ID_SEPARATOR}t${index + 1}`;
}

/** Whether an order id was derived by tradewire for a child order (a TWAP slice), not given from outside. */
export function isChildOrderId(clientOrderId: string): boolean {
  return clientOrderId.includes(CHILD_ID_SEPARATOR);
}

/** The room a parent id must leave for the slice suffix (`:t` and up to three digits: at most 500 slices). */
export const SLICE_SUFFIX_MAX = 5;
