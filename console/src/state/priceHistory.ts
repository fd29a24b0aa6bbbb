import type { PriceRow } from '../api/types.ts';

/** Points kept per instrument for its sparkline: two minutes of the 1 s poll. */
const POINTS = 120;

/** The consolidated prices seen, per symbol, for the sparklines (the console's own memory: the API keeps no history). */
export const priceHistory = new Map<string, number[]>();

export function recordPrices(rows: PriceRow[]): void {
  for (const row of rows) {
    if (row.price === null) continue;
    const points = priceHistory.get(row.symbol) ?? [];
    points.push(row.price);
    if (points.length > POINTS) points.splice(0, points.length - POINTS);
    priceHistory.set(row.symbol, points);
  }
}
