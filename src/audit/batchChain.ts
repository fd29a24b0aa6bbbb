import type { Head, PendingAppend } from './chainAppender.ts';
import { chainHash } from './chainHash.ts';

/**
 * A fill repeated within a batch is a duplicate of its first occurrence, whatever that turns out
 * to be (written now, or already recorded); only first occurrences go to Redis, so the script
 * never sees a repeat and a repeat never takes a seq. Indexes are into the batch.
 */
export function splitRepeatedFills(batch: readonly PendingAppend[]): { firsts: number[]; repeats: [index: number, of: number][] } {
  const firstWithExecId = new Map<string, number>();
  const firsts: number[] = [];
  const repeats: [number, number][] = [];
  for (const [index, record] of batch.entries()) {
    const first = record.execId === '' ? undefined : firstWithExecId.get(record.execId);
    if (first !== undefined) {
      repeats.push([index, first]);
      continue;
    }
    if (record.execId !== '') firstWithExecId.set(record.execId, index);
    firsts.push(index);
  }
  return { firsts, repeats };
}

/** The batch's chain from the head, all at one tsMs: record i+1's prevHash is record i's hash. */
export function chainLinks(head: Head, tsMs: number, records: readonly PendingAppend[]): { prevHash: string; hash: string }[] {
  let prevHash = head.hash;
  let seq = Number(head.seq);
  return records.map((record) => {
    seq += 1;
    const hash = chainHash({ prevHash, seq, tsMs, body: record.body });
    const link = { prevHash, hash };
    prevHash = hash;
    return link;
  });
}
