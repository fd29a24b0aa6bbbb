import { isCalendarDate } from '../../../../shared/calendarDays.ts';
import {
  CFTC80_FIELDS,
  CFTC80_RECORD_LENGTH,
  EXERCISE_STYLES,
  PUT_OR_CALL,
  RECORD_TYPES,
  REPORT_TYPES,
  columnsOf,
  fieldOf,
  type Cftc80FieldName,
} from './recordLayout.ts';

export interface Cftc80ValidationOptions {
  /** The exchange codes the Commission has approved for this filer; any two characters when absent. */
  exchangeCodes?: ReadonlySet<string>;
}

const ALNUM_LEFT = /^[A-Z0-9]+ *$/;
const isBlank = (text: string): boolean => text.trim() === '';

/** An expiration date: a full date, or for monthly contracts YYYYMM and two spaces (17.00(g)(2)(viii)). */
function isExpiration(text: string): boolean {
  if (/^\d{6} {2}$/.test(text)) return /^\d{4}(0[1-9]|1[0-2])/.test(text);
  return isCalendarDate(text);
}

/** Problems with one record against 17.00(g): widths, required fields and code lists. Empty when valid. */
export function validateCftc80Record(record: string, options: Cftc80ValidationOptions = {}): string[] {
  if (record.length !== CFTC80_RECORD_LENGTH) return [`record is ${record.length} characters long, not ${CFTC80_RECORD_LENGTH} (17.00(g)(1))`];
  const problems: string[] = [];
  const field = (name: Cftc80FieldName): string => fieldOf(record, name);
  const fail = (name: Cftc80FieldName, message: string): void => {
    problems.push(`${CFTC80_FIELDS[name].name} (${columnsOf(name)}): '${field(name)}' ${message}`);
  };
  const oneOf = (name: Cftc80FieldName, allowed: readonly string[]): void => {
    if (!allowed.includes(field(name))) fail(name, `is not one of ${allowed.map((code) => `'${code}'`).join(', ')}`);
  };

  oneOf('reportType', REPORT_TYPES);
  if (!/^[A-Z0-9]{3}$/.test(field('reportingFirm'))) fail('reportingFirm', 'must be 3 characters A-Z or 0-9 (17.00(g)(2)(ii))');
  if (!isBlank(field('reserved1'))) fail('reserved1', 'is reserved and must be blank');
  const account = field('accountNumber');
  if (!/^[A-Z0-9]{12}$/.test(account) || /^0+$/.test(account)) fail('accountNumber', 'must be a right-justified, zero-filled account number (17.00(g)(2)(iii))');
  if (!isCalendarDate(field('reportDate'))) fail('reportDate', 'must be a date YYYYMMDD (17.00(g)(2)(iv))');
  const exchange = field('exchangeCode');
  if (!/^[A-Z0-9]{2}$/.test(exchange)) fail('exchangeCode', 'must be two characters A-Z or 0-9 (17.00(g)(2)(v))');
  else if (options.exchangeCodes && !options.exchangeCodes.has(exchange)) fail('exchangeCode', `is not an approved exchange code (${[...options.exchangeCodes].sort().join(', ')})`);
  oneOf('putOrCall', PUT_OR_CALL);
  if (!ALNUM_LEFT.test(field('commodityCode1'))) fail('commodityCode1', 'must be a left-justified commodity code (17.00(g)(2)(vii))');
  if (!isExpiration(field('expirationDate1'))) fail('expirationDate1', 'must be YYYYMMDD, or YYYYMM and two spaces (17.00(g)(2)(viii))');
  // A bad put/call code is reported once, above; the strike is then checked as for a future.
  const isOption = field('putOrCall') === 'C' || field('putOrCall') === 'P';
  const strike = field('strikePrice');
  if (!isOption && !isBlank(strike)) fail('strikePrice', 'must be blank for futures (17.00(g)(2)(ix))');
  if (isOption && !/^-?\d+$/.test(strike)) fail('strikePrice', 'must be a right-justified, zero-filled signed number for options (17.00(g)(2)(ix))');
  oneOf('exerciseStyle', EXERCISE_STYLES);
  for (const quantity of ['longBuyStopped', 'shortSellIssued'] as const) {
    if (!/^\d{7}$/.test(field(quantity))) fail(quantity, 'must be 7 digits, right-justified and zero-filled (17.00(g)(2)(xi))');
  }
  const commodity2 = field('commodityCode2');
  if (!isBlank(commodity2) && !ALNUM_LEFT.test(commodity2)) fail('commodityCode2', 'must be blank or a left-justified commodity code (17.00(g)(2)(xii))');
  const expiration2 = field('expirationDate2');
  if (!isBlank(expiration2) && !isExpiration(expiration2)) fail('expirationDate2', 'must be blank or a date (17.00(g)(2)(xiii))');
  if (!isBlank(field('reserved2'))) fail('reserved2', 'is reserved and must be blank');
  oneOf('recordType', RECORD_TYPES);
  return problems;
}

/** Problems with a whole file: one record per line, every line ended by a newline. */
export function validateCftc80File(body: string, options: Cftc80ValidationOptions = {}): string[] {
  if (body === '') return ['file has no records'];
  if (!body.endsWith('\n')) return ['file must end with a newline after the last record'];
  return body
    .slice(0, -1)
    .split('\n')
    .flatMap((record, index) => validateCftc80Record(record, options).map((problem) => `record ${index + 1}: ${problem}`));
}
