import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { z } from 'zod';
import { formatIssues, issueMessages } from '../shared/zodIssues.ts';
import { AuditInputError } from './auditInputError.ts';
import { csvLine } from './csv.ts';
import { EXPORT_COLUMNS, exportJson, exportRow } from './exportColumns.ts';
import type { OrderAuditTrail } from './orderAuditTrail.ts';
import { MAX_READ_LIMIT } from './readRangeOptions.ts';

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const epochMs = z.number().int('must be an integer (epoch ms, UTC)').min(0, 'must not be negative');
const exportOptionsSchema = z
  .strictObject({
    fromMs: epochMs,
    toMs: epochMs,
    format: z.enum(EXPORT_FORMATS, { error: (issue) => (issue.input === undefined ? undefined : `must be one of ${EXPORT_FORMATS.join(', ')}`) }),
    pageSize: z.number().int('must be an integer').min(1, 'must be at least 1').max(MAX_READ_LIMIT, `must be at most ${MAX_READ_LIMIT}`).optional(),
  })
  .refine((o) => o.fromMs <= o.toMs, { message: 'must not be after toMs', path: ['fromMs'] });

export type ExportOptions = z.input<typeof exportOptionsSchema>;

/**
 * Writes the records with `fromMs <= tsMs <= toMs` (inclusive, epoch ms UTC) for an examiner, a
 * page at a time and waiting for the writable to drain, so a year of records never sits in memory.
 * CSV has the fixed EXPORT_COLUMNS header even when no record matches. Returns the record count.
 */
export async function exportAudit(trail: OrderAuditTrail, options: ExportOptions, out: Writable): Promise<number> {
  const parsed = exportOptionsSchema.safeParse(options, { error: issueMessages });
  if (!parsed.success) throw new AuditInputError('invalid export options', formatIssues(parsed.error.issues));
  const { fromMs, toMs, format, pageSize = 1_000 } = parsed.data;
  if (format === 'csv') await write(out, csvLine(EXPORT_COLUMNS));
  let count = 0;
  let afterId: string | undefined;
  for (;;) {
    const page = await trail.readRange({ fromMs, toMs, limit: pageSize, ...(afterId ? { afterId } : {}) });
    if (page.length === 0) break;
    await write(out, page.map((entry) => (format === 'csv' ? csvLine(exportRow(entry)) : `${exportJson(entry)}\n`)).join(''));
    count += page.length;
    afterId = page.at(-1)?.id;
  }
  return count;
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
