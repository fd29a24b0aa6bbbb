/** The decimals a tick size needs: 0.25 → 2, 0.03125 → 5, 1 → 0. */
export function tickDecimals(tickSize: number): number {
  for (let d = 0; d <= 10; d++) {
    const scaled = tickSize * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9) return d;
  }
  return 10;
}

/**
 * A price as a person reads it: at its instrument's tick precision (69.97999999999999 with a 0.01
 * tick is 69.98), without trailing zeros (5000 rather than 5000.00, so a message reads the same as
 * the number the caller sent). A price off the tick keeps the digits that make it off the tick:
 * 5000.125 on a 0.25 tick must not read as an on-tick 5000.13.
 */
export function priceText(price: number, tickSize: number | undefined): string {
  if (!Number.isFinite(price)) return String(price);
  const decimals = tickSize !== undefined && tickSize > 0 ? tickDecimals(tickSize) : 10;
  const rounded = Number(price.toFixed(decimals));
  const shown = Math.abs(rounded - price) <= 1e-9 * Math.max(1, Math.abs(price)) ? rounded : Number(price.toPrecision(12));
  return String(shown);
}
