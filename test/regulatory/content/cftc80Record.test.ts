import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCftc80File, formatCftc80Record, type Cftc80PositionRecord } from '../../../src/regulatory/cftc/formats/cftc80/formatRecord.ts';
import { CFTC80_FIELDS, fieldOf } from '../../../src/regulatory/cftc/formats/cftc80/recordLayout.ts';
import { validateCftc80File, validateCftc80Record } from '../../../src/regulatory/cftc/formats/cftc80/validateRecord.ts';

const base: Cftc80PositionRecord = {
  reportingFirm: 'TWD',
  accountNumber: 'DU1234567',
  reportDate: '2026-03-02',
  exchangeCode: '01',
  commodityCode: 'C',
  contractMonth: '202703',
  long: 300,
  short: 20,
  recordType: 'A',
};

/** Columns as 17 CFR 17.00(g)(1) numbers them: 1-based and inclusive. */
const cols = (record: string, from: number, to: number): string => record.slice(from - 1, to);

describe('the 80-character record of 17 CFR 17.00(g)', () => {
  const record = formatCftc80Record(base);

  it('matches the golden record', () => {
    expect(record).toBe('RPTWD  000DU1234567' + '20260302' + '01' + ' ' + 'C    ' + '202703  ' + '       ' + ' ' + '0000300' + '0000020' + '     ' + '        ' + ' ' + 'A');
    expect(record).toHaveLength(80);
  });

  it('puts every field in its columns', () => {
    expect(cols(record, 1, 2)).toBe('RP'); // Report Type
    expect(cols(record, 3, 5)).toBe('TWD'); // Reporting Firm
    expect(cols(record, 6, 7)).toBe('  '); // Reserved
    expect(cols(record, 8, 19)).toBe('000DU1234567'); // Account Number: zero filled, right-justified
    expect(cols(record, 20, 27)).toBe('20260302'); // Report Date YYYYMMDD
    expect(cols(record, 28, 29)).toBe('01'); // Exchange Code
    expect(cols(record, 30, 30)).toBe(' '); // Put or Call: blank for futures
    expect(cols(record, 31, 35)).toBe('C    '); // Commodity Code (1)
    expect(cols(record, 36, 43)).toBe('202703  '); // Expiration Date (1): day portion spaces
    expect(cols(record, 44, 50)).toBe('       '); // Strike Price: blank for futures
    expect(cols(record, 51, 51)).toBe(' '); // Exercise Style
    expect(cols(record, 52, 58)).toBe('0000300'); // Long-Buy-Stopped
    expect(cols(record, 59, 65)).toBe('0000020'); // Short-Sell-Issued
    expect(cols(record, 66, 70)).toBe('     '); // Commodity Code (2)
    expect(cols(record, 71, 78)).toBe('        '); // Expiration Date (2)
    expect(cols(record, 79, 79)).toBe(' '); // Reserved
    expect(cols(record, 80, 80)).toBe('A'); // Record Type
  });

  it('has a layout that covers columns 1 to 80 once each', () => {
    const specs = Object.values(CFTC80_FIELDS).sort((a, b) => a.start - b.start);
    let next = 1;
    for (const spec of specs) {
      expect(spec.start, spec.name).toBe(next);
      next = spec.start + spec.length;
    }
    expect(next).toBe(81);
  });

  it('validates a record it formats', () => {
    expect(validateCftc80Record(record, { exchangeCodes: new Set(['01', '02']) })).toEqual([]);
  });

  it('formats any valid position into a valid record whose fields read back (property)', () => {
    const input = fc.record({
      reportingFirm: fc.stringMatching(/^[A-Z0-9]{3}$/),
      accountNumber: fc.stringMatching(/^[A-Z1-9][A-Z0-9]{0,11}$/),
      reportDate: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      exchangeCode: fc.stringMatching(/^[A-Z0-9]{2}$/),
      commodityCode: fc.stringMatching(/^[A-Z0-9]{1,5}$/),
      contractMonth: fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}${String(m).padStart(2, '0')}`),
      long: fc.integer({ min: 0, max: 9_999_999 }),
      short: fc.integer({ min: 0, max: 9_999_999 }),
      recordType: fc.constantFrom('A' as const, 'C' as const, 'D' as const),
    });
    fc.assert(
      fc.property(input, (r) => {
        const line = formatCftc80Record(r);
        expect(line).toHaveLength(80);
        expect(validateCftc80Record(line)).toEqual([]);
        expect(fieldOf(line, 'accountNumber').replace(/^0+/, '')).toBe(r.accountNumber);
        expect(Number(fieldOf(line, 'longBuyStopped'))).toBe(r.long);
        expect(Number(fieldOf(line, 'shortSellIssued'))).toBe(r.short);
        expect(fieldOf(line, 'commodityCode1').trimEnd()).toBe(r.commodityCode);
        expect(fieldOf(line, 'expirationDate1')).toBe(`${r.contractMonth}  `);
      }),
    );
  });

  it('refuses values that do not fit, naming the field and its columns', () => {
    expect(() => formatCftc80Record({ ...base, accountNumber: 'ACCOUNT-1' })).toThrow(/Account Number \(columns 8-19\)/);
    expect(() => formatCftc80Record({ ...base, accountNumber: '1234567890123' })).toThrow(/Account Number \(columns 8-19\): '1234567890123' is longer than 12/);
    expect(() => formatCftc80Record({ ...base, long: 10_000_000 })).toThrow(/Long-Buy-Stopped \(columns 52-58\)/);
    expect(() => formatCftc80Record({ ...base, short: 1.5 })).toThrow(/Short-Sell-Issued/);
    expect(() => formatCftc80Record({ ...base, commodityCode: 'CORN01' })).toThrow(/Commodity Code \(1\) \(columns 31-35\)/);
    expect(() => formatCftc80Record({ ...base, reportingFirm: 'TW' })).toThrow(/Reporting Firm \(columns 3-5\)/);
    expect(() => formatCftc80Record({ ...base, contractMonth: '202713' })).toThrow(/Expiration Date \(1\)/);
  });
});

describe('validating 80-character records', () => {
  const good = formatCftc80Record(base);
  const replace = (from: number, text: string): string => good.slice(0, from - 1) + text + good.slice(from - 1 + text.length);

  it.each([
    ['a short record', good.slice(0, 79), /79 characters long, not 80/],
    ['an unknown report type', replace(1, 'XX'), /Report Type \(columns 1-2\): 'XX' is not one of 'RP', 'DN', 'EP'/],
    ['a non-blank reserved field', replace(6, 'ZZ'), /Reserved \(columns 6-7\)/],
    ['an account number that is not zero-filled', replace(8, '   '), /Account Number \(columns 8-19\)/],
    ['an impossible report date', replace(20, '20260230'), /Report Date \(columns 20-27\)/],
    ['an unapproved exchange code', replace(28, '99'), /Exchange Code \(columns 28-29\): '99' is not an approved exchange code/],
    ['a bad put or call', replace(30, 'X'), /Put or Call \(column 30\)/],
    ['a right-justified commodity code', replace(31, '    C'), /Commodity Code \(1\) \(columns 31-35\)/],
    ['a bad expiration month', replace(36, '202713  '), /Expiration Date \(1\) \(columns 36-43\)/],
    ['a strike price on a future', replace(44, '0000100'), /Strike Price \(columns 44-50\): '0000100' must be blank for futures/],
    ['a bad exercise style', replace(51, 'X'), /Exercise Style \(column 51\)/],
    ['a space-padded quantity', replace(52, '    300'), /Long-Buy-Stopped \(columns 52-58\): '    300' must be 7 digits/],
    ['a non-numeric short', replace(59, '00000A0'), /Short-Sell-Issued \(columns 59-65\)/],
    ['a bad second expiration', replace(71, '2026XX01'), /Expiration Date \(2\) \(columns 71-78\)/],
    ['a non-blank reserved column 79', replace(79, 'Z'), /Reserved \(column 79\)/],
    ['an unknown record type', replace(80, 'X'), /Record Type \(column 80\): 'X' is not one of 'A', 'C', 'D', ' '/],
  ])('finds %s', (_what, record, problem) => {
    const problems = validateCftc80Record(record, { exchangeCodes: new Set(['01', '02']) });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  it('accepts an option record with a strike, and a blank record type', () => {
    const option = replace(30, 'C').slice(0, 43) + '0004500' + 'A' + good.slice(51, 79) + ' ';
    expect(validateCftc80Record(option)).toEqual([]);
  });

  it('numbers the records of a file in its problems', () => {
    const file = formatCftc80File([base, { ...base, accountNumber: 'DU2' }]);
    expect(validateCftc80File(file)).toEqual([]);
    const broken = file.replace(/A\n$/, 'X\n');
    expect(validateCftc80File(broken)).toEqual([expect.stringMatching(/^record 2: Record Type/)]);
    expect(validateCftc80File(file.slice(0, -1))).toEqual(['file must end with a newline after the last record']);
    expect(validateCftc80File('')).toEqual(['file has no records']);
  });
});
