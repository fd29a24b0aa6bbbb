import { z } from 'zod';
import { traderDetailsSchema } from './cftc/form40/traderDetails.ts';
import { isValidLei } from './cftc/formats/lei.ts';

/** 17 CFR 17.00(g)(2)(ii): the clearing member number, or a three-character id the Commission assigns. */
const reportingFirm = z.string().regex(/^[A-Z0-9]{3}$/, 'must be 3 characters A-Z or 0-9 (17 CFR 17.00(g)(2)(ii))');

export const LARGE_TRADER_FORMATS = ['cftc80', 'appendixC'] as const;
export type LargeTraderFormat = (typeof LARGE_TRADER_FORMATS)[number];

export const reportAccountSchema = z.strictObject({
  /** The account as tradewire and the broker name it. */
  id: z.string().min(1),
  /** The special account number of 17.00(g)(2)(iii) (max 12, A-Z 0-9); the id when omitted. */
  specialAccountNumber: z.string().regex(/^[A-Z0-9]{1,12}$/, 'must be 1-12 characters A-Z or 0-9 (17 CFR 17.00(g)(1), columns 8-19)').optional(),
  /** Appendix C element 10: the LEI of the special account controller (needed for the appendixC format). */
  controllerLei: z.string().refine(isValidLei, 'must be a 20-character ISO 17442 LEI with valid check digits').optional(),
  /** The FCM or clearing member carrying the account (Form 40 lists them). */
  carriedBy: z.string().min(1),
});

/**
 * The `regulatory` config block. `format` chooses the large trader position file: `cftc80` is the
 * 80-character record of 17 CFR 17.00(g); `appendixC` the data elements of Appendix C to Part 17,
 * which replace it (2024 rule, compliance from 2026-06-03).
 */
export const regulatoryConfigSchema = z.strictObject({
  reportingFirm,
  format: z.enum(LARGE_TRADER_FORMATS),
  levelsPath: z.string().min(1),
  instrumentMapPath: z.string().min(1),
  accounts: z.array(reportAccountSchema).superRefine((accounts, ctx) => {
    const seen = new Set<string>();
    accounts.forEach((account, index) => {
      if (seen.has(account.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate account '${account.id}'` });
      seen.add(account.id);
    });
  }),
  trader: traderDetailsSchema,
});

export type RegulatoryConfig = z.output<typeof regulatoryConfigSchema>;
export type ReportAccount = z.output<typeof reportAccountSchema>;

/** Demo values (the sim's account, a made-up firm id and a checksum-valid made-up LEI). Not for filing. */
export const DEMO_REGULATORY_CONFIG: RegulatoryConfig = {
  reportingFirm: 'TWD',
  format: 'cftc80',
  levelsPath: 'config/regulatory/cftc-reportable-levels.json',
  instrumentMapPath: 'config/regulatory/instrument-map.json',
  accounts: [{ id: 'DU1234567', controllerLei: '5493000TWDEMO0000X23', carriedBy: 'Interactive Brokers LLC' }],
  trader: {
    name: 'Tradewire Demo Capital LLC',
    address: ['1 Demo Plaza', 'Chicago, IL 60604', 'United States'],
    lei: '5493000TWDEMO0000X23',
    principalBusiness: 'Systematic futures trading for its own account',
    tradingPurpose: 'Proprietary speculative trading; no customer trading program, pool or commercial hedging',
    traderType: 'corporation',
    registrations: [],
    controlledPersons: [],
    controllers: [{ name: 'Demo Portfolio Manager', address: ['1 Demo Plaza', 'Chicago, IL 60604'], businessPhone: '+1 312 555 0100' }],
    carryingBrokers: [{ name: 'Interactive Brokers LLC', location: 'Greenwich, CT, United States', kind: 'FCM' }],
    contact: { name: 'Demo Compliance Officer', phone: '+1 312 555 0101', email: 'compliance@example.com' },
  },
};
