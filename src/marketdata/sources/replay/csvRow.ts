import type { CsvLayout } from './csvColumns.ts';
import { splitCsvLine } from './splitCsvLine.ts';
import { parseCsvTimestamp } from './csvTimestamp.ts';

export interface CsvRow {
  timeMs: number;
  symbol: string;
  bid: number;
  ask: number;
  last: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** An empty field is "not given" (NaN); anything else must be a plain number. */
function price(fields: string[], at: number): number | null {
  if (at < 0) return Number.NaN;
  const text = fields[at] ?? '';
  if (text === '') return Number.NaN;
  const value = Number(text);
  return NUMBER.test(text) && Number.isFinite(value) ? value : null;
}

/** One data line as a row, or the reason it is not one. Never throws. */
export function parseCsvRow(line: string, layout: CsvLayout, fixedSymbol: string | undefined): CsvRow | string {
  const fields = splitCsvLine(line, layout.delimiter);
  if (typeof fields === 'string') return fields;
  if (fields.length < layout.width) return `expected ${layout.width} fields, got ${fields.length}`;
  const stamp = fields[layout.timestamp] ?? '';
  const timeMs = parseCsvTimestamp(stamp);
  if (Number.isNaN(timeMs)) return `bad timestamp '${stamp.slice(0, 40)}'`;
  const symbol = layout.symbol >= 0 ? (fields[layout.symbol] ?? '') : (fixedSymbol ?? '');
  if (symbol === '') return 'empty symbol';
  const bid = price(fields, layout.bid);
  const ask = price(fields, layout.ask);
  const last = price(fields, layout.last);
  if (bid === null) return 'bid is not a number';
  if (ask === null) return 'ask is not a number';
  if (last === null) return 'last is not a number';
  if (Number.isNaN(bid) && Number.isNaN(ask) && Number.isNaN(last)) return 'no price';
  return { timeMs, symbol, bid, ask, last };
}
