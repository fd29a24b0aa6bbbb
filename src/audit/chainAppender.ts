import type { Redis } from 'ioredis';
import type { auditKeys } from './auditKeys.ts';
import { parseBatchReply } from './batchReply.ts';
import { chainLinks, splitRepeatedFills } from './batchChain.ts';
import { GroupCommitQueue } from './groupCommitQueue.ts';
import { luaScript } from '../redis/luaScript.ts';

const APPEND_BATCH = luaScript('appendBatch-stream-meta-execIds-index.lua');

/** How far behind Redis' clock a proposed timestamp may be when it lands (see appendBatch-stream-meta-execIds-index.lua). */
export const MAX_STAMP_AGE_MS = 100;
/** Each lost race means another append went in, so this many in a row means something is wrong. */
export const MAX_APPEND_ATTEMPTS = 200;
/**
 * One batch's bounds: Redis runs nothing else while the script runs (measured about 4 ms for 256
 * records of 600 bytes, on a busy 2-core box), and MAX_STAMP_AGE_MS must cover hashing, sending and
 * running it. Past a few hundred records a batch gains little: the per-call costs are amortised.
 */
export const MAX_BATCH_RECORDS = 256;
export const MAX_BATCH_BYTES = 1024 * 1024;
/** Batches sent ahead of an answer: the next is hashed and sent while Redis runs the one before. */
export const MAX_BATCHES_IN_FLIGHT = 2;

export interface PendingAppend {
  /** The list key that indexes this record: its order's, or the runtime's (see auditKeys). */
  indexKey: string;
  /** Canonical JSON, exactly as it will be stored and hashed. */
  body: string;
  /** '' unless a fill: a fill whose execId is already recorded is not written again. */
  execId: string;
  bytes: number;
}

export interface ChainedAppend {
  id: string;
  seq: number;
  tsMs: number;
  prevHash: string;
  hash: string;
  duplicate: boolean;
}

/** The chain head this writer believes current, and how far Redis' clock is from ours. */
export interface Head {
  seq: string;
  hash: string;
  /** The earliest timestamp the next record may carry (the head's). */
  minTsMs: number;
  clockOffsetMs: number;
}

/** Until the first reply a writer knows no head: its first try is a deliberate miss. */
const UNKNOWN_HEAD: Head = { seq: '', hash: '', minTsMs: 0, clockOffsetMs: 0 };

/** Thrown when the head kept moving for MAX_APPEND_ATTEMPTS tries; nothing was written. */
export class AuditAppendContentionError extends Error {
  override readonly name = 'AuditAppendContentionError';
}

/**
 * Hashes records in Node and appends them with appendBatch-stream-meta-execIds-index.lua's compare-and-append, a batch
 * at a time (group commit, see GroupCommitQueue), with up to MAX_BATCHES_IN_FLIGHT batches sent
 * before the first has answered: each batch is first hashed on top of the predicted head after the
 * batch before it. That is safe because the chain certifies itself: a batch's expected head is the
 * hash of its predecessor's last record, which exists only if that predecessor was written exactly
 * as predicted. So a batch can never land before, or on a different version of, the one before it;
 * if the predecessor was refused or redone, this batch is refused too (nothing written) and redone,
 * once the predecessor has settled, on the head as it then is. Seqs therefore follow the order of
 * the calls, and other processes' appends only cost retries.
 */
export class ChainAppender {
  /** The head as last seen written (by this writer, or in a script's answer). */
  private head: Head | undefined;
  /** The predicted head after the last batch started, while its first try is under way. */
  private tip: { head: Head; batch: number } | undefined;
  private batches = 0;
  private readonly queue: GroupCommitQueue<PendingAppend, ChainedAppend>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: ReturnType<typeof auditKeys>,
  ) {
    this.queue = new GroupCommitQueue((batch, previous) => this.commit(batch, previous), {
      maxItems: MAX_BATCH_RECORDS,
      maxBytes: MAX_BATCH_BYTES,
      maxInFlight: MAX_BATCHES_IN_FLIGHT,
    });
  }

  /** Queued at once, in call order: seqs follow the order of the calls. */
  append(record: PendingAppend): Promise<ChainedAppend> {
    return this.queue.submit(record, record.bytes);
  }

  private async commit(batch: PendingAppend[], previous: Promise<void>): Promise<ChainedAppend[]> {
    const batchNumber = (this.batches += 1);
    try {
      return await this.commitBatch(batch, previous, batchNumber);
    } finally {
      // The last batch started is done: the next one builds on what was written, not on a guess.
      if (this.tip?.batch === batchNumber) this.tip = undefined;
    }
  }

  private async commitBatch(batch: PendingAppend[], previous: Promise<void>, batchNumber: number): Promise<ChainedAppend[]> {
    const results: (ChainedAppend | undefined)[] = new Array(batch.length);
    const { firsts, repeats } = splitRepeatedFills(batch);
    let live = firsts;

    let lostRaces = 0;
    for (let attempt = 0; live.length > 0; attempt += 1) {
      const records = live.map((index) => batch[index] as PendingAppend);
      // The first try goes out at once, on the predicted head; a retry waits for the batch before
      // to settle and builds on what was actually written.
      if (attempt === 1) await previous;
      const head = (attempt === 0 ? this.tip?.head : undefined) ?? this.head ?? UNKNOWN_HEAD;
      const tsMs = Math.max(head.minTsMs, Date.now() + head.clockOffsetMs);
      const links = head === UNKNOWN_HEAD ? records.map(() => ({ prevHash: '', hash: '' })) : chainLinks(head, tsMs, records);
      const keys = [this.keys.stream, this.keys.meta, this.keys.execIds, ...records.map((record) => record.indexKey)];
      const args = [head.seq, head.hash, String(tsMs), String(MAX_STAMP_AGE_MS)];
      for (const [n, record] of records.entries()) args.push(record.body, record.execId, (links[n] as { hash: string }).hash);
      const firstSeq = Number(head.seq) + 1;
      const written: Head = { seq: String(firstSeq + records.length - 1), hash: (links.at(-1) as { hash: string }).hash, minTsMs: tsMs, clockOffsetMs: head.clockOffsetMs };
      const sent = APPEND_BATCH.run(this.redis, keys, args);
      if (attempt === 0) this.tip = head === UNKNOWN_HEAD ? undefined : { head: written, batch: batchNumber };
      const reply = parseBatchReply(await sent, records.length);

      if (reply.status === 'appended') {
        for (const [n, index] of live.entries()) {
          const { prevHash, hash } = links[n] as { prevHash: string; hash: string };
          results[index] = { id: reply.ids[n] as string, seq: firstSeq + n, tsMs, prevHash, hash, duplicate: false };
        }
        if (this.head === undefined || Number(written.seq) > Number(this.head.seq)) this.head = written;
        break;
      }

      // A first try's answer may predate the batch before finishing its own retries; a later
      // seq can only be newer. A retry's answer is always current: nothing of ours is pending.
      if (attempt > 0 || this.head === undefined || Number(reply.headSeq) >= Number(this.head.seq)) {
        this.head = { seq: reply.headSeq, hash: reply.headHash, minTsMs: reply.suggestedTsMs, clockOffsetMs: reply.suggestedTsMs - Date.now() };
      }
      // Each duplicate found shrinks the batch, so those rounds end by themselves; only a round
      // lost to another writer (or a stale stamp, or a refused predecessor) counts towards giving up.
      if (reply.duplicates.size === 0) {
        lostRaces += 1;
        if (lostRaces >= MAX_APPEND_ATTEMPTS) {
          throw new AuditAppendContentionError(`audit append gave up after ${MAX_APPEND_ATTEMPTS} attempts: other writers kept moving the chain head; nothing was written`);
        }
      }
      for (const [n, existing] of reply.duplicates) results[live[n] as number] = existing;
      live = live.filter((_, n) => !reply.duplicates.has(n));
    }

    for (const [index, of] of repeats) results[index] = { ...(results[of] as ChainedAppend), duplicate: true };
    return results as ChainedAppend[];
  }
}
