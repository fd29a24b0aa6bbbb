import { z } from 'zod';

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
      }),
    ),
    breaks: z.array(z.object({ symbol: z.string(), reason: z.string(), detail: z.string(), since: isoTime })),
  })
  .meta({ id: 'Positions', description: 'Positions per account and contract month, the broker next to the book, with open breaks' });
