import type { ChainEntry } from './chainEntry.ts';
import { finding, type ChainFinding } from './chainFindings.ts';
import { chainHash, GENESIS_HASH } from './chainHash.ts';
import { discontinuityIn } from './discontinuityRecord.ts';

/** Findings past this many are counted, not kept: a wrecked trail of millions must not exhaust memory. */
export const MAX_FINDINGS = 1_000;

/** Where checking starts: the record just before the first one checked, real or notional. */
export interface ChainStart {
  /** Undefined when it cannot be known: the first record checked is then taken to follow it. */
  seq: number | undefined;
  /** The hash the first record must carry as prevHash; undefined when it cannot be known. */
  hash: string | undefined;
  /** For messages: a stream id, or `(chain start)`, `(checkpoint)`. */
  id: string;
  /** Whether a hashed record came before; a record without a hash after one is a finding. */
  chainBegun: boolean;
}

export interface ChainHead {
  seq: number;
  /** Undefined when the head record was written before the chain existed. */
  hash: string | undefined;
}

type Placed = { seq: number; id: string; hash: string | undefined; legacy: boolean };

/** Seqs seen nowhere yet, left behind by the record that jumped past them. */
interface Gap {
  from: number;
  to: number;
  jumper: { seq: number; id: string; from: number; to: number; unseen: number };
}

/**
 * Checks a trail's entries in stream order, one at a time, holding only a few records: each
 * record's hash against its content, its prevHash against the hash of the record with the seq
 * before it, and seqs for gaps, repeats and records out of place. A gap is only called missing at
 * the end, because a record that turns up later was moved, not removed. A discontinuity record (Redis
 * lost its state; the runtime wrote it) is a finding of its own: the chain links, but it is not whole.
 */
export class ChainChecker {
  readonly findings: ChainFinding[] = [];
  findingCount = 0;
  checked = 0;
  legacy: { fromSeq: number; toSeq: number; count: number } | undefined;
  first: { seq: number; id: string } | undefined;

  private previous: Placed;
  private lastInOrder: Placed;
  private chainBegun: boolean;
  private readonly gaps: Gap[] = [];
  private displaced: { fromSeq: number; toSeq: number; id: string; afterSeq: number; afterId: string } | undefined;

  private seqKnown: boolean;

  constructor(start: ChainStart) {
    this.seqKnown = start.seq !== undefined;
    this.previous = { seq: start.seq ?? 0, id: start.id, hash: start.hash, legacy: false };
    this.lastInOrder = this.previous;
    this.chainBegun = start.chainBegun;
  }

  /** The record with the highest seq checked so far (the start if none). */
  get last(): { seq: number; id: string; hash: string | undefined } {
    return this.lastInOrder;
  }

  check(entry: ChainEntry): void {
    this.checked += 1;
    if (entry.state === 'malformed') {
      this.report(finding.malformed(entry.id, entry.problem));
      return;
    }
    this.first ??= { seq: entry.seq, id: entry.id };
    if (!this.seqKnown) {
      this.seqKnown = true;
      this.previous = { ...this.previous, seq: entry.seq - 1 };
      this.lastInOrder = this.previous;
    }
    const placed: Placed = { seq: entry.seq, id: entry.id, hash: entry.state === 'chained' ? entry.hash : undefined, legacy: entry.state === 'legacy' };
    if (entry.state === 'chained') {
      this.chainBegun = true;
      if (chainHash(entry) !== entry.hash) this.report(finding.changed(entry.seq, entry.id));
      const discontinuity = discontinuityIn(entry.body, entry.tsMs);
      if (discontinuity) this.report(finding.discontinuity(entry.seq, entry.id, discontinuity));
    } else if (this.chainBegun) {
      this.report(finding.unchained(entry.seq, entry.id));
    } else {
      this.legacy = { fromSeq: this.legacy?.fromSeq ?? entry.seq, toSeq: entry.seq, count: (this.legacy?.count ?? 0) + 1 };
    }
    if (Number(entry.id.split('-')[0]) !== entry.tsMs) this.report(finding.idMismatch(entry.seq, entry.id, entry.tsMs));

    if (entry.seq > this.lastInOrder.seq) {
      this.closeDisplacedRun();
      if (entry.seq === this.lastInOrder.seq + 1) this.checkLink(entry, this.lastInOrder);
      else this.openGap(gapBetween(this.lastInOrder.seq, entry));
      this.lastInOrder = placed;
    } else if (this.fillGap(entry.seq)) {
      if (entry.seq === this.previous.seq + 1) this.checkLink(entry, this.previous);
      this.extendDisplacedRun(entry);
    } else {
      this.closeDisplacedRun();
      this.report(finding.duplicateSeq(entry.seq, entry.id));
    }
    this.previous = placed;
  }

  /** Reports what only the end can tell: seqs never seen, and whether the head matches the end. */
  finish(head: ChainHead | 'absent' | 'not-at-end'): void {
    this.closeDisplacedRun();
    for (const gap of this.gaps) this.report(finding.missing(gap.from, gap.to));
    this.gaps.length = 0;
    if (head === 'not-at-end') return;
    const last = this.lastInOrder;
    if (head === 'absent') {
      if (this.checked > 0) this.report(finding.headMismatch('the meta head (last seq and hash) is gone: records cut from the end could not be noticed'));
      return;
    }
    if (head.seq > last.seq) this.report(finding.truncated(last.seq + 1, head.seq));
    else if (head.seq < last.seq) this.report(finding.headMismatch(`the meta head records seq ${head.seq}, but the trail goes on to seq ${last.seq} (stream id ${last.id})`));
    else if (head.hash !== undefined && last.hash !== undefined && head.hash !== last.hash) {
      this.report(finding.headMismatch(`the meta head's hash is not the stored hash of the last record, seq ${last.seq} (stream id ${last.id})`));
    }
  }

  private checkLink(entry: ChainEntry & { state: 'chained' | 'legacy' }, before: Placed): void {
    if (entry.state !== 'chained') return;
    // After a record from before the chain, the chain starts afresh; after an unchained record
    // inside it (already reported) the link cannot be known.
    const expected = before.legacy ? (this.legacyBeforeChain(before) ? GENESIS_HASH : undefined) : before.hash;
    if (expected !== undefined && entry.prevHash !== expected) this.report(finding.brokenLink(entry.seq, entry.id, before.seq, before.id));
  }

  private legacyBeforeChain(before: Placed): boolean {
    return this.legacy !== undefined && before.seq <= this.legacy.toSeq && before.seq >= this.legacy.fromSeq;
  }

  private openGap(gap: Gap): void {
    // Bounded like the findings: past this, the oldest gap is called missing now, not at the end.
    if (this.gaps.length >= MAX_FINDINGS) {
      const oldest = this.gaps.shift() as Gap;
      this.report(finding.missing(oldest.from, oldest.to));
    }
    this.gaps.push(gap);
  }

  /** Takes `seq` out of the gap that holds it; a jumper whose gap is now all seen was out of order. */
  private fillGap(seq: number): boolean {
    const index = this.gaps.findIndex((gap) => gap.from <= seq && seq <= gap.to);
    if (index < 0) return false;
    const gap = this.gaps[index] as Gap;
    const pieces = [
      ...(gap.from < seq ? [{ ...gap, to: seq - 1 }] : []),
      ...(seq < gap.to ? [{ ...gap, from: seq + 1 }] : []),
    ];
    this.gaps.splice(index, 1, ...pieces);
    gap.jumper.unseen -= 1;
    if (gap.jumper.unseen === 0) this.report(finding.aheadOfOrder(gap.jumper.seq, gap.jumper.id, gap.jumper.from, gap.jumper.to));
    return true;
  }

  private extendDisplacedRun(entry: { seq: number; id: string }): void {
    const run = this.displaced;
    if (run && entry.seq === run.toSeq + 1 && this.previous.seq === run.toSeq) {
      run.toSeq = entry.seq;
      return;
    }
    this.closeDisplacedRun();
    this.displaced = { fromSeq: entry.seq, toSeq: entry.seq, id: entry.id, afterSeq: this.previous.seq, afterId: this.previous.id };
  }

  private closeDisplacedRun(): void {
    const run = this.displaced;
    if (!run) return;
    this.report(finding.outOfOrder(run.fromSeq, run.toSeq, run.id, run.afterSeq, run.afterId));
    this.displaced = undefined;
  }

  report(found: ChainFinding): void {
    this.findingCount += 1;
    if (this.findings.length < MAX_FINDINGS) this.findings.push(found);
  }
}

function gapBetween(lastSeq: number, jumper: { seq: number; id: string }): Gap {
  const from = lastSeq + 1;
  const to = jumper.seq - 1;
  return { from, to, jumper: { seq: jumper.seq, id: jumper.id, from, to, unseen: to - from + 1 } };
}
