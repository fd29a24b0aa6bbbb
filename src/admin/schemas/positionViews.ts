import { z } from 'zod';
import type { PositionRow, PositionsView } from '../../orders/positionsView.ts';

const isoTime = z.iso.datetime({ offset: true });

export const positionsViewSchema = z
  .object({
    asOf: isoTime.describe("when the broker's figures were taken (now when it has not answered)"),
    positions: z.array(
      z.object({
        account: z.string(),
        symbol: z.string(),
        contractMonth: z.string().nullable(),
        broker: z.number().nullable().describe('null while the broker has not answered'),
        internal: z.number().describe("the position book's: the broker's seed plus every execution since"),
        difference: z.number().describe('broker - internal; 0 while broker is null'),
        break: z.object({ reason: z.string(), since: isoTime }).nullable(),
        limit: z.number().int().nullable().describe('The position limit for this row: per contract month where one is configured (`orders.positionLimitPerMonth`), else per symbol (`orders.positionLimit`); null for none'),
        reportableLevel: z.number().int().nullable().describe('The CFTC reportable level of the symbol’s contract market (17 CFR 15.03(b)); null when the symbol is not in the instrument map'),
        reportable: z.boolean().describe('The position (the broker’s, else the book’s) is at or beyond the reportable level'),
      }),
    ),
    breaks: z.array(z.object({ symbol: z.string(), reason: z.string(), detail: z.string(), since: isoTime })),
  })
  .meta({ id: 'Positions', description: 'Positions per account and contract month, the broker next to the book, with open breaks' });

/** What a position row adds for the console: its limit and where reporting starts (absent from a runtime that does not say). */
export interface PositionRowLimits {
  limit: number | null;
  reportableLevel: number | null;
  reportable: boolean;
}

/** The positions as a runtime gives them: a row's limits may be left out (none known). */
export type PositionsInput = Omit<PositionsView, 'positions'> & { positions: (PositionRow & Partial<PositionRowLimits>)[] };
