import { splitCsvLine } from './splitCsvLine.ts';

/** Header names accepted for each column (case-insensitive), so vendor exports load unchanged. */
export const COLUMN_ALIASES = {
  timestamp: ['timestamp', 'time', 'datetime', 'date_time', 'date', 'ts'],
  symbol: ['symbol', 'instrument', 'ticker', 'contract', 'code'],
  bid: ['bid', 'bid_price', 'bidprice'],
  ask: ['ask', 'ask_price', 'askprice', 'offer'],
  last: ['last', 'price', 'close', 'settle', 'settlement', 'last_price', 'px_last', 'trade'],
} as const;

export type ColumnName = keyof typeof COLUMN_ALIASES;

/** Where each column is in a row (-1 when the file has none), and the delimiter. */
export interface CsvLayout {
  delimiter: string;
  timestamp: number;
  symbol: number;
  bid: number;
  ask: number;
  last: number;
  width: number;
}

/** The delimiter is whichever of `,` `;` or tab the header uses. */
function delimiterOf(header: string): string {
  if (header.includes(',')) return ',';
  if (header.includes(';')) return ';';
  if (header.includes('\t')) return '\t';
  return ',';
}

/** Reads the header line; an Error says what is missing. A symbol column may be left out when the config names the symbol. */
export function parseHeader(header: string, symbolGiven: boolean): CsvLayout | Error {
  const delimiter = delimiterOf(header);
  const fields = splitCsvLine(header, delimiter);
  if (typeof fields === 'string') return new Error(`header is not readable CSV: ${fields}`);
  const names = fields.map((name) => name.toLowerCase());
  const find = (column: ColumnName) => names.findIndex((name) => (COLUMN_ALIASES[column] as readonly string[]).includes(name));
  const layout: CsvLayout = {
    delimiter,
    timestamp: find('timestamp'),
    symbol: find('symbol'),
    bid: find('bid'),
    ask: find('ask'),
    last: find('last'),
    width: names.length,
  };
  if (layout.timestamp < 0) return new Error(`header has no timestamp column (one of: ${COLUMN_ALIASES.timestamp.join(', ')})`);
  if (layout.symbol < 0 && !symbolGiven) return new Error(`header has no symbol column (one of: ${COLUMN_ALIASES.symbol.join(', ')}) and the source sets no 'symbol'`);
  if (layout.bid < 0 && layout.ask < 0 && layout.last < 0) return new Error('header has no price column (bid, ask or last, or an alias)');
  return layout;
}
