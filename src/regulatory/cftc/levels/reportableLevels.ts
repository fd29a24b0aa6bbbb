import { z } from 'zod';

/** One row of the 17 CFR 15.03(b) table: a commodity and its reporting level in contracts. */
export const levelRowSchema = z.strictObject({
  group: z.string().min(1),
  commodity: z.string().min(1),
  contracts: z.number().int().positive(),
});

export const reportableLevelsSchema = z
  .strictObject({
    regulation: z.string().min(1),
    note: z.string().optional(),
    /** The row used for any commodity the table does not list ("All Other Commodities"). */
    fallbackRow: z.string().min(1),
    rows: z.array(levelRowSchema).min(1),
  })
  .superRefine((table, ctx) => {
    const seen = new Set<string>();
    table.rows.forEach((row, index) => {
      if (seen.has(row.commodity)) ctx.addIssue({ code: 'custom', path: ['rows', index, 'commodity'], message: `duplicate row '${row.commodity}'` });
      seen.add(row.commodity);
    });
    if (!seen.has(table.fallbackRow)) ctx.addIssue({ code: 'custom', path: ['fallbackRow'], message: `fallback row '${table.fallbackRow}' is not in rows` });
  });

export type LevelRow = z.output<typeof levelRowSchema>;
export type ReportableLevelsFile = z.output<typeof reportableLevelsSchema>;

export class UnknownLevelRowError extends Error {
  override readonly name = 'UnknownLevelRowError';
}

/** The reportable levels of 17 CFR 15.03(b), looked up by row name. */
export class ReportableLevels {
  private readonly byCommodity: ReadonlyMap<string, LevelRow>;
  readonly fallback: LevelRow;

  constructor(readonly table: ReportableLevelsFile) {
    this.byCommodity = new Map(table.rows.map((row) => [row.commodity, row]));
    this.fallback = this.row(table.fallbackRow);
  }

  get rows(): readonly LevelRow[] {
    return this.table.rows;
  }

  /** A named row; a name not in the table is a configuration error, never a silent fallback. */
  row(commodity: string): LevelRow {
    const row = this.byCommodity.get(commodity);
    if (!row) throw new UnknownLevelRowError(`'${commodity}' is not a row of the ${this.table.regulation} table`);
    return row;
  }

  /** The row for a commodity, or the fallback row when none is named. */
  rowOrFallback(commodity: string | undefined): LevelRow {
    return commodity === undefined ? this.fallback : this.row(commodity);
  }
}
