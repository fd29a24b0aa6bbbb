import type { InstrumentIndex } from '../../tickBatch.ts';
import { parseHeader, type CsvLayout } from './csvColumns.ts';
import { parseCsvRow } from './csvRow.ts';

/** A line that could not be used, with its 1-based line number in the file. */
export interface BadLine {
  line: number;
  reason: string;
}

/** The replayable rows in time order, as parallel typed arrays. */
export interface ReplayData {
  count: number;
  timeMs: Float64Array;
  instrument: Int32Array;
  bid: Float64Array;
  ask: Float64Array;
  last: Float64Array;
  /** Data lines seen (not counting the header, comments and blank lines). */
  dataLines: number;
  badLineCount: number;
  /** The first few bad lines, for the log and `/actors`. */
  badLines: BadLine[];
  /** Rows for symbols this source does not replay (not configured, or unknown to the engine). */
  skippedSymbols: Record<string, number>;
  /** Rows that came earlier in time than the row before them; the data is replayed sorted. */
  outOfOrderRows: number;
}

export interface ReplayParserOptions {
  index: InstrumentIndex;
  /** Only these symbols are replayed. */
  instruments: readonly string[];
  /** For files without a symbol column. */
  symbol?: string | undefined;
  /** How many bad lines are kept with their reason (all are counted). */
  keepBadLines?: number;
}

/**
 * Turns CSV lines into ReplayData. Lines starting with `#` and blank lines are skipped; the first
 * other line is the header. A line that cannot be read is counted with its line number and the
 * reason, never thrown.
 */
export class ReplayParser {
  private layout: CsvLayout | null = null;
  private headerError: string | null = null;
  private lineNumber = 0;
  private readonly times: number[] = [];
  private readonly rows: number[] = [];
  private readonly prices: number[] = [];
  private readonly wanted: Map<string, number>;
  private readonly keep: number;
  private dataLines = 0;
  private badLineCount = 0;
  private readonly badLines: BadLine[] = [];
  private readonly skippedSymbols: Record<string, number> = {};
  private outOfOrderRows = 0;

  constructor(private readonly options: ReplayParserOptions) {
    this.wanted = new Map(options.instruments.map((symbol) => [symbol, options.index.indexOf(symbol)]));
    this.keep = options.keepBadLines ?? 20;
  }

  /** The header problem, if the file has no usable header; no rows are read then. */
  get error(): string | null {
    return this.headerError;
  }

  push(rawLine: string): void {
    this.lineNumber += 1;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (this.layout === null && this.headerError === null) {
      const layout = parseHeader(trimmed, this.options.symbol !== undefined);
      if (layout instanceof Error) this.headerError = `line ${this.lineNumber}: ${layout.message}`;
      else this.layout = layout;
      return;
    }
    if (this.layout === null) return;
    this.dataLines += 1;
    const row = parseCsvRow(line, this.layout, this.options.symbol);
    if (typeof row === 'string') return this.bad(row);
    const instrument = this.wanted.get(row.symbol);
    if (instrument === undefined || instrument < 0) {
      this.skippedSymbols[row.symbol] = (this.skippedSymbols[row.symbol] ?? 0) + 1;
      return;
    }
    const previous = this.times.at(-1);
    if (previous !== undefined && row.timeMs < previous) this.outOfOrderRows += 1;
    this.times.push(row.timeMs);
    this.rows.push(instrument);
    this.prices.push(row.bid, row.ask, row.last);
  }

  finish(): ReplayData {
    const count = this.times.length;
    // Stable sort by time: files concatenated per symbol still replay interleaved.
    const order = Array.from({ length: count }, (_, i) => i);
    if (this.outOfOrderRows > 0) order.sort((a, b) => (this.times[a] as number) - (this.times[b] as number) || a - b);
    const data: ReplayData = {
      count,
      timeMs: new Float64Array(count),
      instrument: new Int32Array(count),
      bid: new Float64Array(count),
      ask: new Float64Array(count),
      last: new Float64Array(count),
      dataLines: this.dataLines,
      badLineCount: this.badLineCount,
      badLines: this.badLines,
      skippedSymbols: this.skippedSymbols,
      outOfOrderRows: this.outOfOrderRows,
    };
    order.forEach((from, to) => {
      data.timeMs[to] = this.times[from] as number;
      data.instrument[to] = this.rows[from] as number;
      data.bid[to] = this.prices[from * 3] as number;
      data.ask[to] = this.prices[from * 3 + 1] as number;
      data.last[to] = this.prices[from * 3 + 2] as number;
    });
    return data;
  }

  private bad(reason: string): void {
    this.badLineCount += 1;
    if (this.badLines.length < this.keep) this.badLines.push({ line: this.lineNumber, reason });
  }
}

/** Parses CSV text in one go (tests, small files). */
export function parseReplayCsv(text: string, options: ReplayParserOptions): { data: ReplayData; error: string | null } {
  const parser = new ReplayParser(options);
  for (const line of text.split('\n')) parser.push(line);
  return { data: parser.finish(), error: parser.error };
}
