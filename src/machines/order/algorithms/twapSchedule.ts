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

/** A TWAP child's clientOrderId: the parent's plus the slice number, so a re-issued slice is a duplicate, never a second order. */
export function sliceClientOrderId(parent: string, index: number): string {
  return `${parent}:t${index + 1}`;
}

/** The room a parent id must leave for the slice suffix (`:t` and up to three digits). */
export const SLICE_SUFFIX_MAX = 5;
