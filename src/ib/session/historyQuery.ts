import { BarSizeSetting, WhatToShow } from '../stoqeyValues.ts';
import { futureContract } from '../parsing/contracts.ts';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { HistoricalBarsRequest } from './historicalBars.ts';

const BAR_SIZES = Object.values(BarSizeSetting);
// The tick types a futures bar request makes sense for; IB has more (options, funds) that futures lack.
const WHAT_TO_SHOW = [WhatToShow.TRADES, WhatToShow.MIDPOINT, WhatToShow.BID, WhatToShow.ASK, WhatToShow.BID_ASK] as const;

/**
 * `GET /marketdata/history/:symbol` and `tradewire md history`: the symbol and the query string as
 * IB's reqHistoricalData wants them. Query values arrive as strings; errors name the field.
 */
export const historyQuerySchema = z.strictObject({
  symbol: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'must be 1 to 32 letters, digits, . _ or -, e.g. ES'),
  duration: z
    .string()
    .regex(/^[1-9]\d{0,5} [SDWMY]$/, 'must be an IB duration: a whole number, a space and S, D, W, M or Y, e.g. "1 D"')
    .default('1 D'),
  barSize: z.enum(BAR_SIZES, { error: `must be one of ${BAR_SIZES.join(', ')}` }).default(BarSizeSetting.HOURS_ONE),
  end: z.iso
    .datetime({ offset: true, error: 'must be an ISO-8601 timestamp, e.g. 2027-03-01T21:00:00Z' })
    .transform((text) => DateTime.fromISO(text, { setZone: true }).toUTC().toFormat('yyyyMMdd-HH:mm:ss'))
    .optional(),
  whatToShow: z.enum(WHAT_TO_SHOW, { error: `must be one of ${WHAT_TO_SHOW.join(', ')}` }).default(WhatToShow.TRADES),
  rth: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  /** The contract month or last trade date; without it a symbol listed in several months is ambiguous. */
  expiry: z.string().regex(/^\d{6}(\d{2})?$/, 'must be YYYYMM or YYYYMMDD').optional(),
  exchange: z.string().regex(/^[A-Z0-9]{1,16}$/, 'must be an exchange code, e.g. CME').optional(),
});

export type HistoryQuery = z.input<typeof historyQuerySchema>;

/** The validated query as the session's request: a USD future of the symbol. */
export function historicalBarsRequestOf(query: z.output<typeof historyQuerySchema>): HistoricalBarsRequest {
  return {
    contract: futureContract(query.symbol, { exchange: query.exchange ?? '', expiry: query.expiry }),
    endDateTime: query.end ?? '',
    duration: query.duration,
    barSize: query.barSize,
    whatToShow: query.whatToShow,
    useRth: query.rth === 'true',
  };
}
