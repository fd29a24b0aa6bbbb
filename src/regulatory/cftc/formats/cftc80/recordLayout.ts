/**
 * The 80-character large-trader record of 17 CFR 17.00(g)(1), as the table there gives it
 * (beginning column, length, type; AN alphanumeric, N numeric, S signed numeric).
 * The eCFR table prints length 2 for the reserved field at column 79, which would overlap the
 * record type in column 80; the CFTC's own "Large Trader Record Format" page gives length 1,
 * which is the only reading that makes 80 characters, so 1 is used here.
 */
export interface FieldSpec {
  name: string;
  /** 1-based, as in the regulation. */
  start: number;
  length: number;
  type: 'AN' | 'N' | 'S' | 'reserved';
}

export const CFTC80_FIELDS = {
  reportType: { name: 'Report Type', start: 1, length: 2, type: 'AN' },
  reportingFirm: { name: 'Reporting Firm', start: 3, length: 3, type: 'AN' },
  reserved1: { name: 'Reserved', start: 6, length: 2, type: 'reserved' },
  accountNumber: { name: 'Account Number', start: 8, length: 12, type: 'AN' },
  reportDate: { name: 'Report Date', start: 20, length: 8, type: 'AN' },
  exchangeCode: { name: 'Exchange Code', start: 28, length: 2, type: 'AN' },
  putOrCall: { name: 'Put or Call', start: 30, length: 1, type: 'AN' },
  commodityCode1: { name: 'Commodity Code (1)', start: 31, length: 5, type: 'AN' },
  expirationDate1: { name: 'Expiration Date (1)', start: 36, length: 8, type: 'AN' },
  strikePrice: { name: 'Strike Price', start: 44, length: 7, type: 'S' },
  exerciseStyle: { name: 'Exercise Style', start: 51, length: 1, type: 'AN' },
  longBuyStopped: { name: 'Long-Buy-Stopped', start: 52, length: 7, type: 'N' },
  shortSellIssued: { name: 'Short-Sell-Issued', start: 59, length: 7, type: 'N' },
  commodityCode2: { name: 'Commodity Code (2)', start: 66, length: 5, type: 'AN' },
  expirationDate2: { name: 'Expiration Date (2)', start: 71, length: 8, type: 'AN' },
  reserved2: { name: 'Reserved', start: 79, length: 1, type: 'reserved' },
  recordType: { name: 'Record Type', start: 80, length: 1, type: 'AN' },
} as const satisfies Record<string, FieldSpec>;

export type Cftc80FieldName = keyof typeof CFTC80_FIELDS;

export const CFTC80_RECORD_LENGTH = 80;

/** 17.00(g)(2)(i): RP positions, DN delivery notices, EP exchanges of futures. */
export const REPORT_TYPES = ['RP', 'DN', 'EP'] as const;
/** 17.00(g)(2)(xiv): A (or blank) new, C correction, D delete. */
export const RECORD_TYPES = ['A', 'C', 'D', ' '] as const;
/** 17.00(g)(2)(vi): C call, P put, blank for futures. */
export const PUT_OR_CALL = ['C', 'P', ' '] as const;
/** 17.00(g)(2)(x): A American, E European; blank unless required. */
export const EXERCISE_STYLES = ['A', 'E', ' '] as const;

/** The largest number a 7-column N field holds. */
export const MAX_QUANTITY = 9_999_999;

/** The text of one field of a record (columns are 1-based). */
export function fieldOf(record: string, field: Cftc80FieldName): string {
  const spec = CFTC80_FIELDS[field];
  return record.slice(spec.start - 1, spec.start - 1 + spec.length);
}

export function columnsOf(field: Cftc80FieldName): string {
  const spec = CFTC80_FIELDS[field];
  return spec.length === 1 ? `column ${spec.start}` : `columns ${spec.start}-${spec.start + spec.length - 1}`;
}
