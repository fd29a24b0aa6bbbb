import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { luaScript } from '../../redis/luaScript.ts';
import type { Ack, SubmissionReceipt } from '../transports/reportTransport.ts';
import { PermanentReportError } from './pipelineErrors.ts';

const ackSchema = z.object({
  reportId: z.string(),
  status: z.enum(['accepted', 'rejected']),
  reason: z.string().optional(),
  receivedAt: z.string(),
});

const receiptSchema = z.object({
  reportId: z.string(),
  transport: z.enum(['file', 'https']),
  reference: z.string(),
  submittedAt: z.string(),
  alreadyFiled: z.boolean(),
  ack: ackSchema.optional(),
});

export interface LedgerEntry {
  receipt: SubmissionReceipt | undefined;
  ack: Ack | undefined;
}

export interface FilingClaim {
  release(): Promise<void>;
}

// Delete the claim only if it is still ours: a claim that outlived its expiry must not free another's.
const RELEASE_CLAIM = luaScript('releaseLock-lock.lua');

/**
 * What has been filed, by report id, in Redis: the receipt once a transport accepted the report,
 * then its acknowledgement. Both are written once (HSETNX), so the first record stands. A job for
 * a report already in the ledger does not submit it again: this is what makes retries and
 * `tradewire dlq replay` safe. Entries are kept (no expiry): they are the filing history.
 * The prefix is the namespace's (namespaceKeys().reportsLedger).
 */
export class FilingLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async entry(reportId: string): Promise<LedgerEntry> {
    const [receipt, ack] = await this.redis.hmget(this.filedKey(reportId), 'receipt', 'ack');
    return { receipt: this.decode(reportId, 'receipt', receipt, receiptSchema), ack: this.decode(reportId, 'ack', ack, ackSchema) };
  }

  /** True when this call recorded it; false when a receipt was already there (which is kept). */
  async recordReceipt(receipt: SubmissionReceipt): Promise<boolean> {
    return (await this.redis.hsetnx(this.filedKey(receipt.reportId), 'receipt', JSON.stringify(receipt))) === 1;
  }

  async recordAck(ack: Ack): Promise<boolean> {
    return (await this.redis.hsetnx(this.filedKey(ack.reportId), 'ack', JSON.stringify(ack))) === 1;
  }

  /**
   * Exclusive right to submit one report for `ttlMs`, so two jobs rendering the same report (a
   * duplicate request, a replay racing a retry) never both submit it. Undefined when taken.
   */
  async claim(reportId: string, ttlMs: number): Promise<FilingClaim | undefined> {
    const key = `${this.prefix}:claim:${reportId}`;
    const token = randomUUID();
    const taken = await this.redis.set(key, token, 'PX', Math.max(1, Math.floor(ttlMs)), 'NX');
    if (taken !== 'OK') return undefined;
    return { release: async () => void (await RELEASE_CLAIM.run(this.redis, [key], [token])) };
  }

  filedKey(reportId: string): string {
    return `${this.prefix}:filed:${reportId}`;
  }

  private decode<T>(reportId: string, field: string, raw: string | null | undefined, schema: z.ZodType<T>): T | undefined {
    if (raw === null || raw === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const result = schema.safeParse(parsed);
    // Never guess about filing: an unreadable entry stops the job for a person to look at.
    if (!result.success) throw new PermanentReportError(`filing ledger entry ${this.filedKey(reportId)} field ${field} is unreadable; inspect it before refiling report ${reportId}`);
    return result.data;
  }
}
