import type { Redis } from 'ioredis';
import { z } from 'zod';
import { orderIdSchema } from '../orders/schema/index.ts';
import { formatIssues, issueMessages } from '../shared/zodIssues.ts';
import { AuditInputError } from './auditInputError.ts';
import { auditKeys } from './auditKeys.ts';
import { auditRecordInputSchema, type AuditEntry, type AuditRecord, type AuditRecordInput } from './auditRecord.ts';
import { canonicalJson, canonicalSerialise } from './canonicalSerialise.ts';
import { ChainAppender } from './chainAppender.ts';
import { AuditChainVerifier, type VerifyOptions, type VerifyReport } from './chainVerifier.ts';
import { decodeAuditEntry, type RawStreamEntry } from './decodeAuditEntry.ts';
import { readRangeOptionsSchema, type ReadRangeOptions, type ResolvedReadRangeOptions } from './readRangeOptions.ts';
import { luaScript } from '../redis/luaScript.ts';
import { compareStreamIds, streamIdMs } from './streamIds.ts';

const READ_INDEXED = luaScript('readIndexed-stream-index.lua');

/** Far above any real record; keeps one runaway `details` or `payload` from bloating the trail. */
export const MAX_RECORD_BYTES = 64 * 1024;

export interface OrderAuditTrailOptions {
  /** The Redis Stream key; the index keys hang off it. The runtime's is namespaceKeys(ns).auditStream(audit.streamKey). */
  key: string;
}

export interface AppendOptions {
  /**
   * The record was built by the runtime from typed, already validated data (the order auditor on
   * the order hot path): the schema pass is skipped; the size limit still applies.
   */
  builtFromTypedData?: boolean;
}

export interface AppendResult {
  seq: number;
  /** The stream id, `<tsMs>-<n>`. */
  id: string;
  ts: string;
  tsMs: number;
  /** True when a fill with this execId was already recorded: nothing was written, this is that record. */
  duplicate: boolean;
  /** The hash of the record before this one (64 zeros for the first); '' for a legacy duplicate. */
  prevHash: string;
  /** This record's chain hash (see chainHash); '' for a legacy duplicate. */
  hash: string;
}

const trailOptionsSchema = z.strictObject({
  key: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').regex(/^\S+$/, 'must not contain whitespace'),
});

/**
 * The order audit trail (in the spirit of CFTC 1.35): every order event, append-only, in a Redis
 * Stream, with a gap-free sequence number, a UTC millisecond timestamp and a SHA-256 hash chain
 * (each record carries the hash of the one before; see chainHash). Nothing here updates or deletes
 * an entry; do not XTRIM or XDEL the stream (AuditRetention.prune is the one sanctioned cut).
 */
export class OrderAuditTrail {
  readonly keys: ReturnType<typeof auditKeys>;
  private readonly appender: ChainAppender;

  constructor(
    private readonly redis: Redis,
    options: OrderAuditTrailOptions,
  ) {
    this.keys = auditKeys(checkedTrailKey(options.key));
    this.appender = new ChainAppender(redis, this.keys);
  }

  /**
   * Validates, then appends. A bad record is refused with an AuditInputError and nothing is written.
   * Appends made while another is in flight are committed together (group commit, see ChainAppender):
   * seqs follow the order of the calls on this trail, and each promise settles in that order. A Redis
   * error fails every append of the batch it was in; none of them was written.
   */
  async append(record: AuditRecordInput, options: AppendOptions = {}): Promise<AppendResult> {
    const parsed = options.builtFromTypedData ? (record as AuditRecord) : validate(auditRecordInputSchema, record, 'invalid audit record');
    const body = canonicalJson(parsed);
    const bytes = Buffer.byteLength(body);
    if (bytes > MAX_RECORD_BYTES) {
      throw new AuditInputError('invalid audit record', [`(root): is ${bytes} bytes as JSON; at most ${MAX_RECORD_BYTES}`]);
    }
    const execId = parsed.kind === 'partiallyFilled' || parsed.kind === 'filled' ? parsed.execId : '';
    // Validated before it is queued: a refused record fails only its own caller.
    const indexKey = 'clientOrderId' in parsed ? this.keys.orderIndex(parsed.clientOrderId) : this.keys.runtimeIndex;
    const appended = await this.appender.append({ indexKey, body, execId, bytes });
    return { ...appended, ts: new Date(appended.tsMs).toISOString() };
  }

  /** Records in append order, oldest first; see ReadRangeOptions for the bounds and paging. */
  async readRange(options: ReadRangeOptions = {}): Promise<AuditEntry[]> {
    const resolved = validate(readRangeOptionsSchema, options, 'invalid readRange options');
    if (resolved.clientOrderId !== undefined) {
      const history = await this.historyOf(resolved.clientOrderId);
      return history.filter((entry) => inRange(entry.id, resolved)).slice(0, resolved.limit);
    }
    const start = resolved.afterId !== undefined && !startsBefore(resolved.afterId, resolved.fromMs) ? `(${resolved.afterId}` : String(resolved.fromMs ?? '-');
    const end = resolved.toMs === undefined ? '+' : String(resolved.toMs);
    const raw = (await this.redis.xrange(this.keys.stream, start, end, 'COUNT', resolved.limit)) as RawStreamEntry[];
    return raw.map((entry) => decodeAuditEntry(this.keys.stream, entry));
  }

  /** Every record of one order, in append order, from its index (not a scan of the stream). */
  async historyOf(clientOrderId: string): Promise<AuditEntry[]> {
    const id = validate(orderIdSchema, clientOrderId, 'invalid clientOrderId');
    const raw = (await READ_INDEXED.run(this.redis, [this.keys.stream, this.keys.orderIndex(id)])) as RawStreamEntry[];
    return raw.map((entry) => decodeAuditEntry(this.keys.stream, entry));
  }

  /** The records about the runtime itself (halts, resumes, discontinuities), in append order. */
  async runtimeHistory(): Promise<AuditEntry[]> {
    const raw = (await READ_INDEXED.run(this.redis, [this.keys.stream, this.keys.runtimeIndex])) as RawStreamEntry[];
    return raw.map((entry) => decodeAuditEntry(this.keys.stream, entry));
  }

  /** Recomputes the hash chain over the trail (or a time range of it); see AuditChainVerifier. */
  verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    return new AuditChainVerifier(this.redis, this.keys).verify(options);
  }

  canonicalSerialise(record: AuditRecord): string {
    return canonicalSerialise(record);
  }
}

/** The stream key, or an AuditInputError naming what is wrong with it. */
export function checkedTrailKey(key: string): string {
  return validate(trailOptionsSchema, { key }, 'invalid audit trail options').key;
}

function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  let result: z.ZodSafeParseResult<z.output<S>>;
  try {
    result = schema.safeParse(value, { error: issueMessages });
  } catch (error) {
    throw new AuditInputError(what, [`(root): could not be read (${error instanceof Error ? error.message : 'unreadable'})`]);
  }
  if (!result.success) throw new AuditInputError(what, formatIssues(result.error.issues));
  return result.data;
}

/** Whether `afterId` lies before `fromMs`, so the time bound is the tighter start. */
function startsBefore(afterId: string, fromMs: number | undefined): boolean {
  return fromMs !== undefined && streamIdMs(afterId) < fromMs;
}

function inRange(id: string, options: ResolvedReadRangeOptions): boolean {
  const ms = streamIdMs(id);
  if (options.fromMs !== undefined && ms < options.fromMs) return false;
  if (options.toMs !== undefined && ms > options.toMs) return false;
  return options.afterId === undefined || compareStreamIds(id, options.afterId) > 0;
}
