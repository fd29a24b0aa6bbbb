import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AuditInputError } from './auditInputError.ts';
import { readAuditHead, type AuditHead } from './auditHead.ts';
import type { auditKeys } from './auditKeys.ts';
import { ChainChecker, type ChainStart } from './chainChecker.ts';
import { decodeChainEntry, type ChainEntry, type RawBufferEntry } from './chainEntry.ts';
import { finding, type ChainFinding } from './chainFindings.ts';
import { chainHash, GENESIS_HASH } from './chainHash.ts';
import { formatIssues, issueMessages } from '../shared/zodIssues.ts';
import { DEFAULT_PAGE_SIZE, streamPages } from './streamPages.ts';
import { MAX_READ_LIMIT } from './readRangeOptions.ts';

const epochMs = z.number().int('must be an integer (epoch ms, UTC)').min(0, 'must not be negative');

const verifyOptionsSchema = z
  .strictObject({
    fromMs: epochMs.optional(),
    toMs: epochMs.optional(),
    pageSize: z.number().int('must be an integer').min(1, 'must be at least 1').max(MAX_READ_LIMIT, `must be at most ${MAX_READ_LIMIT}`).optional(),
    onProgress: z.custom<(progress: VerifyProgress) => void>((value) => typeof value === 'function', 'must be a function').optional(),
  })
  .refine((o) => o.fromMs === undefined || o.toMs === undefined || o.fromMs <= o.toMs, { message: 'must not be after toMs', path: ['fromMs'] });

export interface VerifyProgress {
  checked: number;
  lastSeq: number | undefined;
  lastId: string | undefined;
}

export interface VerifyOptions {
  /** Inclusive, epoch ms UTC, by stream id time. Without either bound the whole trail is verified. */
  fromMs?: number;
  toMs?: number;
  pageSize?: number;
  /** Called after each page, so a long run can show how far it has got. */
  onProgress?: (progress: VerifyProgress) => void;
}

export interface VerifyReport {
  ok: boolean;
  /** Records checked in the range (the neighbours checked around a sub-range are not counted). */
  checked: number;
  first: { seq: number; id: string } | undefined;
  last: { seq: number; id: string; hash: string | undefined } | undefined;
  /** Records written before the chain existed: they have seqs, but nothing proves them unchanged. */
  legacy: { fromSeq: number; toSeq: number; count: number } | undefined;
  /** What the first record checked was tied to. */
  anchoredBy: string;
  /** What the last record checked was tied to. */
  endedBy: string;
  /** What this run proves and what it does not. */
  scope: string;
  /** The meta head: record its hash somewhere else, and a later rewrite of the whole trail shows. */
  head: { seq: number; hash: string | undefined } | undefined;
  findings: ChainFinding[];
  /** All findings, including those past the kept MAX_FINDINGS. */
  findingCount: number;
}

/**
 * Walks the trail a page at a time and recomputes every hash in Node. With a sub-range, the
 * record before the range anchors it (if its own hash checks out) and the record after it must
 * link back, so a change at either edge of the range shows too.
 */
export class AuditChainVerifier {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ReturnType<typeof auditKeys>,
  ) {}

  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    const parsed = verifyOptionsSchema.safeParse(options, { error: issueMessages });
    if (!parsed.success) throw new AuditInputError('invalid verify options', formatIssues(parsed.error.issues));
    const { fromMs, toMs, pageSize = DEFAULT_PAGE_SIZE } = options;
    const head = await readAuditHead(this.redis, this.keys);
    const before = fromMs === undefined ? undefined : await this.neighbour('before', fromMs);
    const { start, anchoredBy, anchorFindings } = startOf(before, head);
    const checker = new ChainChecker(start);
    for (const found of anchorFindings) checker.report(found);

    for await (const page of streamPages(this.redis, this.keys.stream, { start: fromMs === undefined ? '-' : String(fromMs), end: toMs === undefined ? '+' : String(toMs), pageSize })) {
      for (const raw of page) checker.check(decodeChainEntry(raw));
      options.onProgress?.({ checked: checker.checked, lastSeq: checker.last.seq, lastId: checker.last.id });
    }
    const checked = checker.checked;
    const report = { first: checker.first, last: checked > 0 ? checker.last : undefined, legacy: checker.legacy };

    const after = toMs === undefined ? undefined : await this.neighbour('after', toMs);
    let endedBy: string;
    if (after) {
      checker.check(after);
      checker.finish('not-at-end');
      endedBy = after.state === 'malformed' ? `stream id ${after.id}, just after the range, which is not a trail record` : `seq ${after.seq} (stream id ${after.id}), just after the range, which must carry the hash of the last record in it`;
    } else {
      checker.finish(head ?? 'absent');
      endedBy = head ? `the meta head (seq ${head.seq}), which must match the last record` : 'nothing: the meta head is gone';
    }
    return {
      ok: checker.findingCount === 0,
      checked,
      ...report,
      anchoredBy,
      endedBy,
      scope: fromMs === undefined && toMs === undefined ? FULL_SCOPE : RANGE_SCOPE,
      head: head ? { seq: head.seq, hash: head.hash } : undefined,
      findings: checker.findings,
      findingCount: checker.findingCount,
    };
  }

  /** The entry just before `fromMs`, or just after `toMs`, by stream id. */
  private async neighbour(side: 'before' | 'after', ms: number): Promise<ChainEntry | undefined> {
    const raw = (side === 'before'
      ? await this.redis.xrevrangeBuffer(this.keys.stream, `(${ms}-0`, '-', 'COUNT', 1)
      : await this.redis.xrangeBuffer(this.keys.stream, String(ms + 1), '+', 'COUNT', 1)) as unknown as RawBufferEntry[];
    return raw[0] ? decodeChainEntry(raw[0]) : undefined;
  }
}

const FULL_SCOPE =
  'every record from the start of the chain (or the prune checkpoint) to the meta head: none changed, removed, added or reordered. ' +
  'Someone able to rewrite Redis could still rebuild the whole chain; compare the head hash with one kept elsewhere to rule that out.';
const RANGE_SCOPE =
  'the records in the range: none changed, removed, added or reordered between the first and the last, and the range is linked to the record just before it and just after it. ' +
  'Records further outside the range are not checked; run a full verify for those.';

function startOf(before: ChainEntry | undefined, head: AuditHead | undefined): { start: ChainStart; anchoredBy: string; anchorFindings: ChainFinding[] } {
  if (before === undefined) {
    const checkpoint = head?.checkpoint;
    if (checkpoint) {
      return {
        start: { seq: checkpoint.seq - 1, hash: checkpoint.prevHash, id: '(checkpoint)', chainBegun: true },
        anchoredBy: `the prune checkpoint: seq ${checkpoint.seq} must carry prevHash ${checkpoint.prevHash} (pruned ${new Date(checkpoint.atMs).toISOString()}, approved by ${checkpoint.approvedBy})`,
        anchorFindings: [],
      };
    }
    return { start: { seq: 0, hash: GENESIS_HASH, id: '(chain start)', chainBegun: false }, anchoredBy: 'the start of the chain (prevHash 64 zeros)', anchorFindings: [] };
  }
  if (before.state === 'malformed') {
    return { start: { seq: undefined, hash: undefined, id: before.id, chainBegun: true }, anchoredBy: 'nothing: the record before the range is not a trail record', anchorFindings: [finding.malformed(before.id, before.problem)] };
  }
  if (before.state === 'legacy') {
    return { start: { seq: before.seq, hash: GENESIS_HASH, id: before.id, chainBegun: false }, anchoredBy: `seq ${before.seq} (stream id ${before.id}), just before the range, written before the chain existed`, anchorFindings: [] };
  }
  const intact = chainHash(before) === before.hash;
  return {
    start: { seq: before.seq, hash: intact ? before.hash : undefined, id: before.id, chainBegun: true },
    anchoredBy: intact
      ? `seq ${before.seq} (stream id ${before.id}), just before the range, whose own hash checks out`
      : `nothing: seq ${before.seq} (stream id ${before.id}), just before the range, was itself changed`,
    anchorFindings: intact ? [] : [finding.changed(before.seq, before.id)],
  };
}
