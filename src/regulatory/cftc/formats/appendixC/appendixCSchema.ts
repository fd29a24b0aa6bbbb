import { z } from 'zod';
import { isValidLei } from '../lei.ts';
import { isIsoDay } from '../../../../shared/calendarDays.ts';
import { formatIssues } from '../../../../shared/zodIssues.ts';

/**
 * The data elements of Appendix C to Part 17 (the 2024 large trader reporting rule, 89 FR 47457,
 * compliance from 2026-06-03) as JSON. Elements 1-24 and their definitions are taken from the
 * Appendix as published (casetext / federal.elaws.us, current through Nov 2024); each key says its
 * element number. The code lists of the elements (message type, record type, product type) and
 * the names of the position quantity elements after element 24 are set by the Part 17 Guidebook,
 * which could not be found via search: those values below are tradewire's best reading and are
 * marked PROVISIONAL. The wire format the rule names is FIXML; this JSON carries the same elements.
 */
const isoDay = z.string().refine(isIsoDay, 'must be a date YYYY-MM-DD');
const lei = z.string().refine(isValidLei, 'must be a 20-character ISO 17442 LEI with valid check digits');

export const APPENDIX_C_RECORD_TYPES = ['New', 'Correction', 'Delete'] as const; // PROVISIONAL code list

export const appendixCPositionReportSchema = z.strictObject({
  /** 6 Report ID: a unique identifier assigned to each position report. */
  reportId: z.string().min(1).max(64),
  /** 7 Record Type (Action): the action that triggered the position report. */
  recordType: z.enum(APPENDIX_C_RECORD_TYPES),
  /** 8 Report Date: the date of the information being reported. */
  reportDate: isoDay,
  /** 9 Reporting Firm ID: CFTC-assigned identifier for the reporting firm. */
  reportingFirmId: z.string().min(1),
  /** 10 Special Account Controller LEI. */
  specialAccountControllerLei: lei,
  /** 11 Account ID: assigned by the reporting firm to each special account (17.00(b), Form 102). */
  accountId: z.string().min(1),
  /** 12 Exchange Indicator: the exchange where the contract is traded. */
  exchangeIndicator: z.string().min(1),
  /** 13 Commodity Clearing Code: the clearinghouse-assigned commodity code. */
  commodityClearingCode: z.string().min(1),
  /** 14 Product Type. PROVISIONAL code list: FUT for futures, OPT for options. */
  productType: z.enum(['FUT', 'OPT']),
  /** 15 Ticker Symbol. */
  tickerSymbol: z.string().min(1),
  /** 16 Maturity Month Year: YYYYMM, with the day when needed to characterise the contract. */
  maturityMonthYear: z.string().regex(/^\d{4}(0[1-9]|1[0-2])(\d{2})?$/, 'must be YYYYMM or YYYYMMDD'),
  /** 17 Maturity Time; 18 Listing Date; 19 First Exercise Date: null when not known / not applicable. */
  maturityTime: z.string().nullable(),
  listingDate: isoDay.nullable(),
  firstExerciseDate: isoDay.nullable(),
  /** 20-24: option and bounded-contract terms, null for plain futures. */
  strikeLevel: z.number().nullable(),
  alphaStrike: z.string().nullable(),
  capLevel: z.number().nullable(),
  floorLevel: z.number().nullable(),
  boundOrBarrierType: z.string().nullable(),
  /** PROVISIONAL names: long and short open contracts at the close (as 17.00(g)(2)(xi) for RP). */
  longQuantity: z.number().int().min(0),
  shortQuantity: z.number().int().min(0),
});

export const appendixCFileSchema = z
  .strictObject({
    /** 1 Total Message Count: the number of position reports in the file. */
    totalMessageCount: z.number().int().min(0),
    /** 2 Message Type. PROVISIONAL: the FIXML position report message. */
    messageType: z.literal('PosRpt'),
    /** 3 Sender ID: the CFTC-issued reporting firm identifier of the submitter. */
    senderId: z.string().min(1),
    /** 4 To ID: the report is submitted to the CFTC. */
    toId: z.literal('CFTC'),
    /** 5 Message, Transmit, Datetime: when the file was created (ISO-8601 UTC). */
    transmitDatetime: z.iso.datetime(),
    positionReports: z.array(appendixCPositionReportSchema),
  })
  .superRefine((file, ctx) => {
    if (file.totalMessageCount !== file.positionReports.length) {
      ctx.addIssue({ code: 'custom', path: ['totalMessageCount'], message: `is ${file.totalMessageCount} but the file holds ${file.positionReports.length} position reports` });
    }
    const ids = new Set<string>();
    file.positionReports.forEach((report, index) => {
      if (ids.has(report.reportId)) ctx.addIssue({ code: 'custom', path: ['positionReports', index, 'reportId'], message: `duplicate report id ${report.reportId}` });
      ids.add(report.reportId);
    });
  });

export type AppendixCPositionReport = z.output<typeof appendixCPositionReportSchema>;
export type AppendixCFile = z.output<typeof appendixCFileSchema>;

/** Problems with an Appendix C JSON file, each naming the element's path. Empty when valid. */
export function validateAppendixC(body: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return [`not valid JSON: ${(error as Error).message}`];
  }
  const parsed = appendixCFileSchema.safeParse(value);
  return parsed.success ? [] : formatIssues(parsed.error.issues, { style: 'dotted' });
}
