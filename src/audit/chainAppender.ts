import type { Redis } from 'ioredis';
import { APPEND_SCRIPT } from './appendScript';
import type { auditKeys } from './auditKeys';
import { chainHash } from './chainHash';
import { runScript } from './runScript';

/** How far behind Redis' clock a proposed timestamp may be when it lands (see APPEND_SCRIPT). */
export const MAX_STAMP_AGE_MS = 100;
/** Each lost race means another append went in, so this many in a row means something is wrong. */
export const MAX_APPEND_ATTEMPTS = 200;

export interface ChainedAppend {
  id: string;
  seq: number;
  tsMs: number;
  prevHash: string;
  hash: string;
  duplicate: boolean;
}

/** The chain head this writer believes current, and how far Redis' clock is from ours. */
interface Head {
  seq: string;
  hash: string;
  /** The earliest timestamp the next record may carry (the head's). */
  minTsMs: number;
  clockOffsetMs: number;
}

type Reply = [status: 'appended' | 'duplicate' | 'conflict', ...rest: string[]];

/** Thrown when the head kept moving for MAX_APPEND_ATTEMPTS tries; nothing was written. */
export class AuditAppendContentionError extends Error {
  override readonly name = 'AuditAppendContentionError';
}

/**
 * Hashes each record in Node and appends it with APPEND_SCRIPT's compare-and-append. One writer
 * sends one append at a time, so its own appends never race each other; only other processes'
 * appends can make it retry.
 */
export class ChainAppender {
  private head: Head | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly keys: ReturnType<typeof auditKeys>,
  ) {}

  append(clientOrderId: string, body: string, execId: string): Promise<ChainedAppend> {
    const result = this.tail.then(() => this.appendNow(clientOrderId, body, execId));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async appendNow(clientOrderId: string, body: string, execId: string): Promise<ChainedAppend> {
    const keys = [this.keys.stream, this.keys.meta, this.keys.orderIndex(clientOrderId), this.keys.execIds];
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt += 1) {
      // Until the first reply this writer knows no head: the first try is a deliberate miss.
      const head = this.head ?? { seq: '', hash: '', minTsMs: 0, clockOffsetMs: 0 };
      const tsMs = Math.max(head.minTsMs, Date.now() + head.clockOffsetMs);
      const seq = Number(head.seq) + 1;
      const hash = head.seq === '' ? '' : chainHash({ prevHash: head.hash, seq, tsMs, body });
      const reply = (await runScript(this.redis, APPEND_SCRIPT, keys, [body, execId, head.seq, head.hash, String(tsMs), hash, String(MAX_STAMP_AGE_MS)])) as Reply;
      const [status, ...rest] = reply;
      if (status === 'conflict') {
        const [headSeq, headHash, suggestedTsMs] = rest as [string, string, string];
        this.head = { seq: headSeq, hash: headHash, minTsMs: Number(suggestedTsMs), clockOffsetMs: Number(suggestedTsMs) - Date.now() };
        continue;
      }
      const [id, seqText, tsText] = rest as [string, string, string];
      if (status === 'duplicate') {
        const [, , , prevHash = '', storedHash = ''] = rest;
        return { id, seq: Number(seqText), tsMs: Number(tsText), prevHash, hash: storedHash, duplicate: true };
      }
      this.head = { seq: seqText, hash, minTsMs: tsMs, clockOffsetMs: head.clockOffsetMs };
      return { id, seq, tsMs, prevHash: head.hash, hash, duplicate: false };
    }
    throw new AuditAppendContentionError(`audit append gave up after ${MAX_APPEND_ATTEMPTS} attempts: other writers kept moving the chain head; nothing was written`);
  }
}
