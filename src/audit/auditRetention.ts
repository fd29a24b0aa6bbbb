import type { Redis } from 'ioredis';
import { z } from 'zod';
import { formatIssues, issueMessages } from '../shared/zodIssues.ts';
import { AuditInputError } from './auditInputError.ts';
import { readAuditHead, type AuditCheckpoint } from './auditHead.ts';
import type { auditKeys } from './auditKeys.ts';
import { shiftYears } from '../shared/calendarDays.ts';
import { decodeAuditEntry, type RawStreamEntry } from './decodeAuditEntry.ts';
import type { AuditRetentionConfig } from './retentionConfig.ts';
import { luaScript } from '../redis/luaScript.ts';

const PRUNE = luaScript('prune-stream-meta.lua');

export interface RetentionStatus {
  nowMs: number;
  retentionYears: number;
  readilyAccessibleYears: number;
  records: number;
  oldest: { seq: number; ts: string; id: string } | undefined;
  newest: { seq: number; ts: string; id: string } | undefined;
  /** Records before this are past the readily-accessible window (candidates for archive storage). */
  readilyAccessibleFrom: string;
  olderThanReadilyAccessible: number;
  /** Records before this are past the retention period and may be pruned. */
  retainedFrom: string;
  eligibleForDeletion: number;
  /** When the oldest record leaves the retention period (already past if eligibleForDeletion > 0). */
  nextEligibleForDeletion: string | undefined;
  checkpoint: AuditCheckpoint | undefined;
}

export interface PruneRequest {
  /** Records with tsMs before this go; it must be at least retentionYears ago. */
  beforeMs: number;
  /** Who signed the deletion off; kept in the checkpoint. */
  approvedBy: string;
  reason: string;
}

export interface PruneResult {
  removed: number;
  checkpoint: { seq: number; prevHash: string } | undefined;
}

/** A prune that would cut a record still inside the retention period; nothing was deleted. */
export class AuditRetentionError extends Error {
  override readonly name = 'AuditRetentionError';
}

const pruneRequestSchema = z.strictObject({
  beforeMs: z.number().int('must be an integer (epoch ms, UTC)').min(0, 'must not be negative'),
  approvedBy: z.string().trim().min(1, 'must name who signed the deletion off').max(200, 'must be at most 200 characters'),
  reason: z.string().trim().min(1, 'must say why').max(2000, 'must be at most 2000 characters'),
});

/**
 * The retention rules over one trail: what is how old, and the one sanctioned deletion. Counts use
 * the gap-free seqs (an intact trail's record count between two records is their seq difference),
 * so they are O(1) however long the trail; run verify first if the trail may have been tampered with.
 */
export class AuditRetention {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ReturnType<typeof auditKeys>,
    private readonly config: AuditRetentionConfig,
  ) {}

  async status(): Promise<RetentionStatus> {
    const nowMs = await this.redisNowMs();
    const readilyAccessibleFromMs = shiftYears(nowMs, -this.config.readilyAccessibleYears);
    const retainedFromMs = shiftYears(nowMs, -this.config.retentionYears);
    const oldest = await this.edge('-', '+', 'first');
    const newest = await this.edge('+', '-', 'last');
    const olderThan = async (ms: number) => {
      const last = await this.edge(`(${ms}-0`, '-', 'last');
      return oldest && last ? last.seq - oldest.seq + 1 : 0;
    };
    const eligibleForDeletion = await olderThan(retainedFromMs);
    return {
      nowMs,
      ...this.config,
      records: await this.redis.xlen(this.keys.stream),
      oldest,
      newest,
      readilyAccessibleFrom: new Date(readilyAccessibleFromMs).toISOString(),
      olderThanReadilyAccessible: await olderThan(readilyAccessibleFromMs),
      retainedFrom: new Date(retainedFromMs).toISOString(),
      eligibleForDeletion,
      nextEligibleForDeletion: oldest ? new Date(shiftYears(Date.parse(oldest.ts), this.config.retentionYears)).toISOString() : undefined,
      checkpoint: (await readAuditHead(this.redis, this.keys))?.checkpoint,
    };
  }

  /**
   * Deletes the records older than `beforeMs`, refusing if any of them is still inside the
   * retention period. Deleting the head breaks the chain there, so the same script writes a
   * checkpoint (first kept seq, its prevHash, who approved it, why) for verify to start from.
   */
  async prune(request: PruneRequest): Promise<PruneResult> {
    const parsed = pruneRequestSchema.safeParse(request, { error: issueMessages });
    if (!parsed.success) throw new AuditInputError('invalid prune request', formatIssues(parsed.error.issues));
    const { beforeMs, approvedBy, reason } = parsed.data;
    const retainedFromMs = shiftYears(await this.redisNowMs(), -this.config.retentionYears);
    if (beforeMs > retainedFromMs) {
      throw new AuditRetentionError(
        `refusing to prune before ${new Date(beforeMs).toISOString()}: records from ${new Date(retainedFromMs).toISOString()} on are inside the ${this.config.retentionYears}-year retention period; nothing was deleted`,
      );
    }
    const [removed, seq, prevHash] = (await PRUNE.run(this.redis, [this.keys.stream, this.keys.meta], [String(beforeMs), approvedBy, reason])) as [number, string, string];
    return { removed: Number(removed), checkpoint: Number(removed) > 0 ? { seq: Number(seq), prevHash } : undefined };
  }

  private async redisNowMs(): Promise<number> {
    const [seconds, micros] = await this.redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  private async edge(start: string, end: string, which: 'first' | 'last') {
    const raw = (which === 'first'
      ? await this.redis.xrange(this.keys.stream, start, end, 'COUNT', 1)
      : await this.redis.xrevrange(this.keys.stream, start, end, 'COUNT', 1)) as RawStreamEntry[];
    if (!raw[0]) return undefined;
    const { id, record } = decodeAuditEntry(this.keys.stream, raw[0]);
    return { seq: record.seq, ts: record.ts, id };
  }
}
