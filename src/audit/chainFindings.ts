/** Something verify found wrong with the trail; `message` names the records, for people. */
export type ChainFinding =
  /** The record's stored hash is not the hash of its content: the record (or its hash) was changed. */
  | { kind: 'changed'; seq: number; id: string; message: string }
  /** The record does not carry the hash of the record before it: one of the two was changed or replaced. */
  | { kind: 'brokenLink'; seq: number; id: string; previousSeq: number; previousId: string; message: string }
  /** Sequence numbers that are not in the stream at all. */
  | { kind: 'missing'; fromSeq: number; toSeq: number; message: string }
  /** Records that are in the stream, but not where their seq says. */
  | { kind: 'outOfOrder'; fromSeq: number; toSeq: number; id: string; afterSeq: number; afterId: string; message: string }
  /** A record that jumped ahead of records with lower seqs that come later in the stream. */
  | { kind: 'aheadOfOrder'; seq: number; id: string; beforeFromSeq: number; beforeToSeq: number; message: string }
  /** A second record with a seq already seen. */
  | { kind: 'duplicateSeq'; seq: number; id: string; message: string }
  /** The stream id's time is not the record's tsMs: the record was re-inserted elsewhere in time. */
  | { kind: 'idMismatch'; seq: number; id: string; message: string }
  /** A record without a hash after the chain began (an old writer, or an inserted record). */
  | { kind: 'unchained'; seq: number; id: string; message: string }
  /** Not a trail record at all. */
  | { kind: 'malformed'; id: string; message: string }
  /** The stream ends before the head the meta hash recorded: records were cut from the end. */
  | { kind: 'truncated'; fromSeq: number; toSeq: number; message: string }
  /** The meta head (last seq and hash) does not match the stream's last record, or is gone. */
  | { kind: 'headMismatch'; message: string }
  /**
   * A record written by the runtime when Redis lost its state: the trail before it is not the one
   * that was written. `missingFromSeq..missingToSeq` are the seqs of the trail as it was that are gone.
   */
  | { kind: 'discontinuity'; seq: number; id: string; lost: string[]; missingFromSeq: number | undefined; missingToSeq: number | undefined; message: string };

const seqs = (from: number, to: number) => (from === to ? `seq ${from}` : `seqs ${from}..${to}`);

export const finding = {
  changed: (seq: number, id: string): ChainFinding => ({
    kind: 'changed', seq, id, message: `seq ${seq} (stream id ${id}) was changed: its content does not hash to its stored hash`,
  }),
  brokenLink: (seq: number, id: string, previousSeq: number, previousId: string): ChainFinding => ({
    kind: 'brokenLink', seq, id, previousSeq, previousId,
    message: `seq ${seq} (stream id ${id}) does not carry the hash of seq ${previousSeq} (stream id ${previousId}): one of them was changed or replaced`,
  }),
  missing: (fromSeq: number, toSeq: number): ChainFinding => ({
    kind: 'missing', fromSeq, toSeq, message: `${seqs(fromSeq, toSeq)} ${fromSeq === toSeq ? 'is' : 'are'} missing: removed from the trail`,
  }),
  outOfOrder: (fromSeq: number, toSeq: number, id: string, afterSeq: number, afterId: string): ChainFinding => ({
    kind: 'outOfOrder', fromSeq, toSeq, id, afterSeq, afterId,
    message: `${seqs(fromSeq, toSeq)} (from stream id ${id}) ${fromSeq === toSeq ? 'appears' : 'appear'} after seq ${afterSeq} (stream id ${afterId}): records were reordered`,
  }),
  aheadOfOrder: (seq: number, id: string, beforeFromSeq: number, beforeToSeq: number): ChainFinding => ({
    kind: 'aheadOfOrder', seq, id, beforeFromSeq, beforeToSeq,
    message: `seq ${seq} (stream id ${id}) appears before ${seqs(beforeFromSeq, beforeToSeq)}, which come later in the stream: records were reordered`,
  }),
  duplicateSeq: (seq: number, id: string): ChainFinding => ({
    kind: 'duplicateSeq', seq, id, message: `seq ${seq} appears again at stream id ${id}: a record was copied in`,
  }),
  idMismatch: (seq: number, id: string, tsMs: number): ChainFinding => ({
    kind: 'idMismatch', seq, id, message: `seq ${seq} is stored under stream id ${id}, but its timestamp is ${tsMs}: it was moved in time`,
  }),
  unchained: (seq: number, id: string): ChainFinding => ({
    kind: 'unchained', seq, id, message: `seq ${seq} (stream id ${id}) has no hash, but the chain had already begun: an old writer, or an inserted record`,
  }),
  malformed: (id: string, problem: string): ChainFinding => ({ kind: 'malformed', id, message: `stream id ${id} is not a trail record: ${problem}` }),
  truncated: (fromSeq: number, toSeq: number): ChainFinding => ({
    kind: 'truncated', fromSeq, toSeq, message: `the trail ends early: ${seqs(fromSeq, toSeq)} recorded in the head are gone from the end`,
  }),
  headMismatch: (message: string): ChainFinding => ({ kind: 'headMismatch', message }),
  discontinuity: (seq: number, id: string, record: DiscontinuityFacts): ChainFinding => {
    const { lost, missingFromSeq, missingToSeq, previousHash, at } = record;
    const gap =
      missingFromSeq !== undefined && missingToSeq !== undefined
        ? `${seqs(missingFromSeq, missingToSeq)} of the trail as it was (its head: seq ${missingToSeq}, hash ${previousHash ?? 'unknown'}) ${missingFromSeq === missingToSeq ? 'is' : 'are'} gone; the chain restarted after seq ${missingFromSeq - 1}`
        : 'no audit record was known before it, so none is known to be gone';
    return {
      kind: 'discontinuity', seq, id, lost, missingFromSeq, missingToSeq,
      message: `discontinuity at seq ${seq} (stream id ${id}, ${at}): Redis lost its state (lost: ${lost.join(', ')}); ${gap}`,
    };
  },
};

/** What a discontinuity record says, as the finding needs it. */
export interface DiscontinuityFacts {
  lost: string[];
  missingFromSeq: number | undefined;
  missingToSeq: number | undefined;
  previousHash: string | undefined;
  /** When it was recorded, ISO-8601. */
  at: string;
}
