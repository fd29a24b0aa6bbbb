/**
 * Order statistics over the first `count` entries of a scratch array. Consolidation sees a
 * handful of sources per instrument, where insertion sort beats anything cleverer and, unlike
 * `Array.prototype.sort`, allocates nothing.
 */
export function sortPrefix(values: Float64Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const v = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > v) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = v;
  }
}

/** Median of an already sorted prefix; the mean of the middle two for an even count. */
export function medianOfSorted(sorted: Float64Array, count: number): number {
  if (count === 0) return Number.NaN;
  const mid = count >> 1;
  return count & 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Copies `values[0..count)` into `scratch`, sorts it there and returns the median. */
export function medianInto(values: Float64Array, count: number, scratch: Float64Array): number {
  for (let i = 0; i < count; i++) scratch[i] = values[i]!;
  sortPrefix(scratch, count);
  return medianOfSorted(scratch, count);
}

/** Median absolute deviation from `center`. */
export function medianAbsoluteDeviation(values: Float64Array, count: number, center: number, scratch: Float64Array): number {
  for (let i = 0; i < count; i++) scratch[i] = Math.abs(values[i]! - center);
  sortPrefix(scratch, count);
  return medianOfSorted(scratch, count);
}
