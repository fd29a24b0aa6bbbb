import type { AuditEntry, AuditRecord } from './auditRecord.ts';

/** A stream entry as ioredis returns it: `[id, [field, value, field, value, ...]]`. */
export type RawStreamEntry = [id: string, fields: string[]];

/** An entry that is not what the trail writes: someone wrote to the stream by hand. */
export class AuditEntryCorruptError extends Error {
  override readonly name = 'AuditEntryCorruptError';

  constructor(
    readonly streamKey: string,
    readonly id: string,
    problem: string,
  ) {
    super(`audit entry ${id} in ${streamKey} is not a trail record: ${problem}`);
  }
}

export function decodeAuditEntry(streamKey: string, raw: RawStreamEntry): AuditEntry {
  const [id, flat] = raw;
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] as string, flat[i + 1] as string);
  const seq = Number(fields.get('seq'));
  const tsMs = Number(fields.get('tsMs'));
  if (!Number.isSafeInteger(seq) || seq < 1) throw new AuditEntryCorruptError(streamKey, id, 'bad or missing seq');
  if (!Number.isSafeInteger(tsMs) || tsMs < 0) throw new AuditEntryCorruptError(streamKey, id, 'bad or missing tsMs');
  let body: unknown;
  try {
    body = JSON.parse(fields.get('body') ?? '');
  } catch {
    throw new AuditEntryCorruptError(streamKey, id, 'body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AuditEntryCorruptError(streamKey, id, 'body is not a JSON object');
  }
  const record = { ...body, seq, tsMs, ts: new Date(tsMs).toISOString() } as AuditRecord;
  const prevHash = fields.get('prevHash');
  const hash = fields.get('hash');
  return prevHash !== undefined && hash !== undefined ? { id, record, chain: { prevHash, hash } } : { id, record };
}
