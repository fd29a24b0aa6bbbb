import { z } from 'zod';

export const pricesViewSchema = z
  .object({
    prices: z.array(
      z.object({
        symbol: z.string(),
        contractMonth: z.string().nullable().describe('the month an IB source prices the symbol from; null for other sources'),
        bid: z.number().nullable(),
        ask: z.number().nullable(),
        last: z.number().nullable().describe('the last consolidated price, live or not'),
        price: z.number().nullable().describe('the consolidated price while at least one source is live (what price collars read), else null'),
        confidence: z.number().describe('dispersion of the included sources around price, in price units'),
        sources: z.number().int().describe('sources included now; 0: no live price'),
        updatedAt: z.iso.datetime({ offset: true }).nullable(),
        ageMs: z.number().nullable(),
        rejects: z.record(z.string(), z.number().int().nonnegative()).describe('Ticks of this symbol market-data quality control rejected since the node started, by reason (`crossed`, `spike`, `future_timestamp`, …)'),
      }),
    ),
  })
  .meta({ id: 'Prices', description: 'The consolidated price of every configured instrument' });

export type PricesView = z.output<typeof pricesViewSchema>;
/** A price row as a runtime gives it: `rejects` may be left out (none counted). */
export type PriceRowInput = Omit<PricesView['prices'][number], 'rejects'> & { rejects?: Record<string, number> };
export interface PricesInput {
  prices: PriceRowInput[];
}
