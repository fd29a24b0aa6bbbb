import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvRow } from '../../../src/marketdata/sources/replay/csvRow.ts';
import { parseHeader, type CsvLayout } from '../../../src/marketdata/sources/replay/csvColumns.ts';
import { parseCsvTimestamp } from '../../../src/marketdata/sources/replay/csvTimestamp.ts';
import { parseReplayCsv } from '../../../src/marketdata/sources/replay/replayData.ts';
import { SymbolList } from './helpers.ts';

const layout = parseHeader('timestamp,symbol,bid,ask,last', false) as CsvLayout;
const index = new SymbolList(['ES', 'NQ', 'ZN']);
const FROM = Date.UTC(1990, 0, 1);
const TO = Date.UTC(2099, 11, 31);

const validRow = fc.record({
  timeMs: fc.integer({ min: FROM, max: TO }),
  symbol: fc.constantFrom('ES', 'NQ', 'ZN'),
  // -0 prints as "0"; a CSV cannot carry the sign of zero.
  last: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((v) => v + 0),
  bid: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((v) => v + 0), { nil: undefined }),
});
const rowText = (row: { timeMs: number; symbol: string; last: number; bid: number | undefined }) =>
  `${new Date(row.timeMs).toISOString()},${row.symbol},${row.bid ?? ''},,${row.last}`;
/** Text that is a data line the parser must refuse: not blank, not a comment. */
const garbage = fc.string({ maxLength: 60 }).filter((text) => {
  const trimmed = text.trim();
  return !text.includes('\n') && trimmed !== '' && !trimmed.startsWith('#') && typeof parseCsvRow(text, layout, undefined) === 'string';
});

describe('replay CSV under arbitrary input', () => {
  it('parseCsvRow never throws, and what it accepts has a finite timestamp and at least one finite price', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (line) => {
        const row = parseCsvRow(line, layout, undefined);
        if (typeof row === 'string') return;
        expect(Number.isFinite(row.timeMs)).toBe(true);
        expect([row.bid, row.ask, row.last].some(Number.isFinite)).toBe(true);
        for (const price of [row.bid, row.ask, row.last]) expect(Number.isNaN(price) || Number.isFinite(price)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('every data line is either replayed exactly or counted as bad with its own line number', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(validRow.map((row) => ({ row })), garbage.map((text) => ({ text }))), { maxLength: 40 }), (lines) => {
        const text = ['timestamp,symbol,bid,ask,last', ...lines.map((l) => ('row' in l ? rowText(l.row) : l.text))].join('\n');
        const { data, error } = parseReplayCsv(text, { index, instruments: ['ES', 'NQ', 'ZN'], keepBadLines: 1_000 });
        expect(error).toBeNull();
        const valid = lines.flatMap((l, i) => ('row' in l ? [{ ...l.row, line: i + 2 }] : []));
        const bad = lines.flatMap((l, i) => ('text' in l ? [i + 2] : []));
        expect(data.badLineCount).toBe(bad.length);
        expect(data.badLines.map((b) => b.line)).toEqual(bad);
        const sorted = [...valid].sort((a, b) => a.timeMs - b.timeMs || a.line - b.line);
        expect(data.count).toBe(valid.length);
        sorted.forEach((row, i) => {
          expect(data.timeMs[i]).toBe(row.timeMs);
          expect(index.symbolOf(data.instrument[i]!)).toBe(row.symbol);
          expect(data.last[i]).toBe(row.last);
          if (row.bid === undefined) expect(data.bid[i]).toBeNaN();
          else expect(data.bid[i]).toBe(row.bid);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('timestamps: ISO-8601 (Z, offset, space, no zone), epoch ms and s, and dates all land on the same instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: FROM, max: TO }), fc.integer({ min: -11, max: 12 }), (ms, offsetHours) => {
        const iso = new Date(ms).toISOString();
        expect(parseCsvTimestamp(iso)).toBe(ms);
        expect(parseCsvTimestamp(iso.replace('T', ' ').replace('Z', ''))).toBe(ms);
        expect(parseCsvTimestamp(String(ms))).toBe(ms);
        const seconds = Math.floor(ms / 1_000);
        expect(parseCsvTimestamp(String(seconds))).toBe(seconds * 1_000);
        const shifted = new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, 23);
        const zone = `${offsetHours < 0 ? '-' : '+'}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
        expect(parseCsvTimestamp(`${shifted}${zone}`)).toBe(ms);
        const day = iso.slice(0, 10);
        expect(parseCsvTimestamp(day)).toBe(Date.parse(`${day}T00:00:00Z`));
        expect(parseCsvTimestamp(day.replaceAll('-', ''))).toBe(Date.parse(`${day}T00:00:00Z`));
      }),
    );
  });

  it('impossible dates are refused, not rolled over', () => {
    for (const text of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31T10:00:00Z', '2024-01-01T24:00:00Z', 'yesterday', '']) {
      expect(parseCsvTimestamp(text)).toBeNaN();
    }
    expect(parseCsvTimestamp('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it('column aliases and delimiters of common vendor exports are understood', () => {
    const semicolon = parseHeader('"Date";"Ticker";"Bid";"Offer";"Settle"', false) as CsvLayout;
    expect(semicolon).toMatchObject({ delimiter: ';', timestamp: 0, symbol: 1, bid: 2, ask: 3, last: 4 });
    const pysystemtrade = parseHeader('DATETIME,price', true) as CsvLayout;
    expect(pysystemtrade).toMatchObject({ timestamp: 0, symbol: -1, last: 1 });
    expect(parseCsvRow('2024-01-02 23:00:00,4765.25', pysystemtrade, 'ES')).toEqual({ timeMs: Date.UTC(2024, 0, 2, 23), symbol: 'ES', bid: Number.NaN, ask: Number.NaN, last: 4765.25 });
    expect(parseHeader('DATETIME,price', false)).toBeInstanceOf(Error);
    expect(parseHeader('when,symbol,last', false)).toBeInstanceOf(Error);
    expect(parseHeader('timestamp,symbol,volume', false)).toBeInstanceOf(Error);
  });
});

describe('replay CSV quoting', () => {
  it('reads quoted fields holding the delimiter and doubled quotes; a quote left open rejects its own line only', () => {
    const text = [
      'timestamp,symbol,description,bid,ask,last',
      '2024-03-01T14:30:00Z,ES,"E-mini S&P, Mar 2027",5100,5100.5,5100.25',
      '2024-03-01T14:30:01Z,"ES","He said ""Mar, 2027""",5101,5101.5,5101.25',
      '2024-03-01T14:30:02Z,ES,"unclosed, 5102,5102.5,5102.25',
      '"2024-03-01T14:30:03Z", NQ ,x,"18000","18000.5","18000.25"',
    ].join('\n');
    const { data, error } = parseReplayCsv(text, { index, instruments: ['ES', 'NQ'] });
    expect(error).toBeNull();
    expect(data.count).toBe(3);
    expect(Array.from(data.last)).toEqual([5100.25, 5101.25, 18000.25]);
    expect(Array.from(data.instrument, (i) => index.symbolOf(i))).toEqual(['ES', 'ES', 'NQ']);
    expect(data.badLines).toEqual([{ line: 4, reason: expect.stringMatching(/^unreadable CSV quoting: /) }]);
  });

  it('reads a quoted header and the semicolon delimiter inside quotes', () => {
    const text = ['"Date";"Ticker";"Name";"Close"', '2024-03-01;ES;"Mar; 2027";5100.25', '2024-03-02;ES;"x";"5101"'].join('\n');
    const { data, error } = parseReplayCsv(text, { index, instruments: ['ES'] });
    expect(error).toBeNull();
    expect(Array.from(data.last)).toEqual([5100.25, 5101]);
    expect(data.badLineCount).toBe(0);
  });
});
