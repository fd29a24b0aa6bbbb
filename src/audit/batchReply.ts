import type { ChainedAppend } from './chainAppender.ts';

/** appendBatch-stream-meta-execIds-index.lua's answer, decoded (see its comment for the wire form). */
export type BatchReply =
  | { status: 'appended'; ids: string[] }
  | {
      status: 'retry';
      headSeq: string;
      headHash: string;
      suggestedTsMs: number;
      /** 0-based index in the batch sent -> the record already holding that execId. */
      duplicates: Map<number, ChainedAppend>;
    };

/** Anything else means the script and this code disagree: fail loudly rather than mis-assign seqs. */
export class AuditBatchReplyError extends Error {
  override readonly name = 'AuditBatchReplyError';
}

export function parseBatchReply(raw: unknown, sent: number): BatchReply {
  if (!Array.isArray(raw) || !raw.every((part) => typeof part === 'string')) throw new AuditBatchReplyError('audit append script answered something that is not a list of strings');
  const [status, ...rest] = raw as string[];
  if (status === 'appended') {
    if (rest.length !== sent) throw new AuditBatchReplyError(`audit append script answered ${rest.length} ids for ${sent} records`);
    return { status, ids: rest };
  }
  if (status !== 'retry' || rest.length < 3 || (rest.length - 3) % 6 !== 0) throw new AuditBatchReplyError(`audit append script answered ${String(status)} with ${rest.length} fields`);
  const [headSeq, headHash, suggested, ...found] = rest as [string, string, string, ...string[]];
  const duplicates = new Map<number, ChainedAppend>();
  for (let at = 0; at < found.length; at += 6) {
    const [index, id, seq, tsMs, prevHash, hash] = found.slice(at, at + 6) as [string, string, string, string, string, string];
    const n = Number(index) - 1;
    if (!Number.isInteger(n) || n < 0 || n >= sent) throw new AuditBatchReplyError(`audit append script named record ${index} of ${sent}`);
    duplicates.set(n, { id, seq: Number(seq), tsMs: Number(tsMs), prevHash, hash, duplicate: true });
  }
  return { status, headSeq, headHash, suggestedTsMs: Number(suggested), duplicates };
}
