import type { Redis } from 'ioredis';
import type { auditKeys } from './auditKeys.ts';

/** What the meta hash says about the chain: its head, and where it starts after a prune. */
export interface AuditHead {
  seq: number;
  /** Absent while every record predates the chain. */
  hash: string | undefined;
  lastMs: number;
  checkpoint: AuditCheckpoint | undefined;
}

/** Written by a prune: the chain now starts at `seq`, whose prevHash must be `prevHash`. */
export interface AuditCheckpoint {
  seq: number;
  prevHash: string;
  atMs: number;
  approvedBy: string;
  reason: string;
}

export async function readAuditHead(redis: Redis, keys: ReturnType<typeof auditKeys>): Promise<AuditHead | undefined> {
  const meta = await redis.hgetall(keys.meta);
  if (meta.seq === undefined) return undefined;
  const checkpoint =
    meta.checkpointSeq !== undefined && meta.checkpointPrevHash !== undefined
      ? {
          seq: Number(meta.checkpointSeq),
          prevHash: meta.checkpointPrevHash,
          atMs: Number(meta.checkpointAtMs),
          approvedBy: meta.checkpointApprovedBy ?? '',
          reason: meta.checkpointReason ?? '',
        }
      : undefined;
  return { seq: Number(meta.seq), hash: meta.lastHash, lastMs: Number(meta.lastMs ?? 0), checkpoint };
}
