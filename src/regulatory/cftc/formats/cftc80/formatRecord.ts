import { CFTC80_FIELDS, CFTC80_RECORD_LENGTH, MAX_QUANTITY, type Cftc80FieldName } from './recordLayout.ts';

/** One futures position record (report type RP). Options are not traded by tradewire, so not rendered. */
export interface Cftc80PositionRecord {
  reportingFirm: string;
  accountNumber: string;
  /** `YYYY-MM-DD` */
  reportDate: string;
  exchangeCode: string;
  commodityCode: string;
  /** `YYYYMM` delivery month. */
  contractMonth: string;
  long: number;
  short: number;
  /** 17.00(g)(2)(xiv): A new, C correction, D delete. */
  recordType: 'A' | 'C' | 'D';
}

export class Cftc80FieldError extends Error {
  override readonly name = 'Cftc80FieldError';
}

function check(condition: boolean, field: Cftc80FieldName, message: string): void {
  const spec = CFTC80_FIELDS[field];
  if (!condition) throw new Cftc80FieldError(`${spec.name} (columns ${spec.start}-${spec.start + spec.length - 1}): ${message}`);
}

function alpha(value: string, field: Cftc80FieldName): string {
  const { length } = CFTC80_FIELDS[field];
  check(/^[A-Z0-9]*$/.test(value), field, `'${value}' must be A-Z or 0-9`);
  check(value.length <= length, field, `'${value}' is longer than ${length}`);
  return value.padEnd(length, ' ');
}

/** 17.00(g)(2)(iii): "zero filled with the account number right-justified". */
function accountNumber(value: string): string {
  const { length } = CFTC80_FIELDS.accountNumber;
  check(/^[A-Z0-9]+$/.test(value), 'accountNumber', `'${value}' must be A-Z or 0-9`);
  check(value.length <= length, 'accountNumber', `'${value}' is longer than ${length}`);
  return value.padStart(length, '0');
}

function quantity(value: number, field: Cftc80FieldName): string {
  check(Number.isInteger(value) && value >= 0 && value <= MAX_QUANTITY, field, `${value} must be a whole number of contracts from 0 to ${MAX_QUANTITY}`);
  return String(value).padStart(CFTC80_FIELDS[field].length, '0');
}

function blank(field: Cftc80FieldName): string {
  return ' '.repeat(CFTC80_FIELDS[field].length);
}

/** Renders one 80-character record, field by field in the column order of 17.00(g)(1). */
export function formatCftc80Record(record: Cftc80PositionRecord): string {
  check(/^\d{4}-\d{2}-\d{2}$/.test(record.reportDate), 'reportDate', `'${record.reportDate}' must be YYYY-MM-DD`);
  check(/^\d{4}(0[1-9]|1[0-2])$/.test(record.contractMonth), 'expirationDate1', `'${record.contractMonth}' must be YYYYMM`);
  check(record.reportingFirm.length === CFTC80_FIELDS.reportingFirm.length, 'reportingFirm', `'${record.reportingFirm}' must be exactly 3 characters`);
  const line = [
    'RP',
    alpha(record.reportingFirm, 'reportingFirm'),
    blank('reserved1'),
    accountNumber(record.accountNumber),
    record.reportDate.replaceAll('-', ''),
    alpha(record.exchangeCode, 'exchangeCode'),
    ' ', // put or call: blank for futures (g)(2)(vi)
    alpha(record.commodityCode, 'commodityCode1'),
    // (g)(2)(viii): for futures the delivery year and month; "the day portion ... contains spaces".
    `${record.contractMonth}  `,
    blank('strikePrice'), // (g)(2)(ix): "For futures, the field is left blank."
    ' ', // exercise style: only for flexible instruments (g)(2)(x)
    quantity(record.long, 'longBuyStopped'),
    quantity(record.short, 'shortSellIssued'),
    blank('commodityCode2'), // (g)(2)(xii)-(xiii): only for date-specific or flexible options
    blank('expirationDate2'),
    blank('reserved2'),
    record.recordType,
  ].join('');
  if (line.length !== CFTC80_RECORD_LENGTH) throw new Cftc80FieldError(`record is ${line.length} characters, not ${CFTC80_RECORD_LENGTH}`);
  return line;
}

/** A file: one record per line, each line ended by a newline. */
export function formatCftc80File(records: readonly Cftc80PositionRecord[]): string {
  return records.map((record) => `${formatCftc80Record(record)}\n`).join('');
}
