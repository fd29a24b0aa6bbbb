import type { AuditEntry } from './auditRecord.ts';
import { auditRecordKindSchemas } from './auditRecordKinds.ts';
import { canonicalJson } from './canonicalSerialise.ts';

/** Who, what, when first: the columns an examiner reads first, in a fixed order. */
const LEADING = ['seq', 'ts', 'tsMs', 'kind', 'clientOrderId', 'account', 'actor', 'reason'] as const;
const TRAILING = ['details', 'streamId', 'prevHash', 'hash'] as const;

/**
 * The CSV header: the leading columns, then every other field any record kind has, in the order
 * the kinds declare them, then the free-form details and the chain. A field a record lacks is an
 * empty cell; an object or array (changes, payload, details, ...) is one cell of canonical JSON.
 */
export const EXPORT_COLUMNS: readonly string[] = [
  ...LEADING,
  ...[...new Set(auditRecordKindSchemas.flatMap((schema) => Object.keys(schema.shape)))].filter(
    (key) => !(LEADING as readonly string[]).includes(key) && !(TRAILING as readonly string[]).includes(key),
  ),
  ...TRAILING,
];

export function exportRow(entry: AuditEntry): string[] {
  const values: Record<string, unknown> = { ...entry.record, streamId: entry.id, prevHash: entry.chain?.prevHash, hash: entry.chain?.hash };
  return EXPORT_COLUMNS.map((column) => cell(values[column]));
}

/** One record per JSONL line: the record with its stream id and chain fields, canonical JSON. */
export function exportJson(entry: AuditEntry): string {
  return canonicalJson({ ...entry.record, streamId: entry.id, ...entry.chain });
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return canonicalJson(value);
}
