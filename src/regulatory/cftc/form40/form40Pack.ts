import { z } from 'zod';
import type { ReportAccount } from '../../regulatoryConfig.ts';
import { isIsoDay } from '../../../shared/calendarDays.ts';
import type { InstrumentMap } from '../levels/instrumentMap.ts';
import { exposuresOf } from '../monitor/reportability.ts';
import type { ContractPosition } from '../positions/contractPosition.ts';
import { traderDetailsSchema, type TraderDetails } from './traderDetails.ts';

const packPositionSchema = z.strictObject({
  symbol: z.string().min(1),
  exchange: z.string().min(1),
  commodity: z.string().min(1),
  contractMonth: z.string().regex(/^\d{6}$/),
  long: z.number().int().min(0),
  short: z.number().int().min(0),
});

export const form40PackSchema = z.strictObject({
  form: z.literal('CFTC Form 40: Statement of Reporting Trader'),
  regulation: z.literal('17 CFR 18.04'),
  /** The day whose closing positions the pack shows, `YYYY-MM-DD`. */
  asOf: z.string().refine(isIsoDay, 'must be a date YYYY-MM-DD'),
  trader: traderDetailsSchema,
  accounts: z.array(
    z.strictObject({
      accountId: z.string().min(1),
      specialAccountNumber: z.string().min(1),
      carriedBy: z.string().min(1),
      /** The 15.03(b) rows in which the account held a reportable position that day. */
      reportableIn: z.array(z.string()),
      positions: z.array(packPositionSchema),
    }),
  ),
});

export type Form40Pack = z.output<typeof form40PackSchema>;

/**
 * The Form 40 pack answered to a special call: the trader's details from config, and for each
 * account the positions held at the close of `asOf` and where they were reportable.
 */
export function buildForm40Pack(input: {
  asOf: string;
  trader: TraderDetails;
  accounts: readonly ReportAccount[];
  positions: readonly ContractPosition[];
  instruments: InstrumentMap;
}): Form40Pack {
  const exposures = exposuresOf(input.positions, input.instruments);
  return form40PackSchema.parse({
    form: 'CFTC Form 40: Statement of Reporting Trader',
    regulation: '17 CFR 18.04',
    asOf: input.asOf,
    trader: input.trader,
    accounts: input.accounts.map((account) => {
      const mine = exposures.filter((exposure) => exposure.account === account.id);
      return {
        accountId: account.id,
        specialAccountNumber: account.specialAccountNumber ?? account.id,
        carriedBy: account.carriedBy,
        reportableIn: mine.filter((exposure) => exposure.reportable).map((exposure) => exposure.market.level.commodity),
        positions: mine.flatMap((exposure) =>
          exposure.positions.map((position) => ({
            symbol: position.symbol,
            exchange: exposure.market.exchange,
            commodity: exposure.market.level.commodity,
            contractMonth: position.contractMonth,
            long: Math.max(position.net, 0),
            short: Math.max(-position.net, 0),
          })),
        ),
      };
    }),
  });
}
