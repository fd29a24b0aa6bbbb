import { z } from 'zod';
import { isValidLei } from '../formats/lei.ts';

const person = z.strictObject({
  name: z.string().min(1),
  address: z.array(z.string().min(1)).min(1),
});

/**
 * The reporting trader's own details for CFTC Form 40, "Statement of Reporting Trader"
 * (17 CFR 18.04). The current 18.04 defers to the form's instructions; the items follow the
 * list of part A in the earlier text of 18.04(a), with the trader types of parts B and C.
 */
export const traderDetailsSchema = z.strictObject({
  /** (a)(1) Name and address of the reporting trader. */
  name: z.string().min(1),
  address: z.array(z.string().min(1)).min(1),
  lei: z.string().refine(isValidLei, 'must be a 20-character ISO 17442 LEI with valid check digits').optional(),
  /** (a)(2) Principal business and occupation, and for whom the trading is done. */
  principalBusiness: z.string().min(1),
  tradingPurpose: z.string().min(1),
  /** (a)(3) Type of trader: part B for individuals, partnerships and joint tenants, part C otherwise. */
  traderType: z.enum(['individual', 'partnership', 'jointTenant', 'corporation', 'other']),
  /** (a)(4) Registration status with the Commission, if any (e.g. CPO, CTA); empty when none. */
  registrations: z.array(z.string().min(1)),
  /** (a)(5) Each person whose futures or option trading the reporting trader controls. */
  controlledPersons: z.array(person),
  /** (a)(6) Each person who controls the trading of the reporting trader, with a business phone. */
  controllers: z.array(person.extend({ businessPhone: z.string().min(1) })),
  /** (a)(7) The FCMs, clearing members, introducing and foreign brokers carrying the trader's accounts. */
  carryingBrokers: z
    .array(z.strictObject({ name: z.string().min(1), location: z.string().min(1), kind: z.enum(['FCM', 'clearingMember', 'introducingBroker', 'foreignBroker']) }))
    .min(1),
  /** Who answers the Commission's questions about this statement. */
  contact: z.strictObject({ name: z.string().min(1), phone: z.string().min(1), email: z.email() }),
});

export type TraderDetails = z.output<typeof traderDetailsSchema>;
