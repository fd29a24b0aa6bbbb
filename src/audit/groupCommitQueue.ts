/** How much one commit may carry (a batch always takes at least one item, whatever its size), and how many may be under way. */
export interface GroupCommitLimits {
  maxItems: number;
  maxBytes: number;
  maxInFlight: number;
}

/**
 * Commits a batch; answers one result per item, in order. `previous` settles (never rejects) once
 * the batch before this one has settled, so a commit that must redo work on top of its
 * predecessor's outcome can wait for it.
 */
export type CommitBatch<I, R> = (items: I[], previous: Promise<void>) => Promise<R[]>;

interface Waiting<I, R> {
  item: I;
  bytes: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: whatever is submitted while the commits under way (at most `maxInFlight`) are
 * pending waits, and goes in the next batch, up to the limits. Under load the batches grow to fill
 * the round trip, so throughput scales with batch size, while a lone submit still goes out at once
 * (after the current microtask, so a synchronous burst shares a batch) and costs no more latency
 * than before: there is no timer.
 *
 * Batches start in submit order, and each submitter's promise settles with its own result, in
 * submit order (a batch settles only after the one before it). If a commit throws, every item of
 * that batch is rejected with the error, and the queue goes on with the next batch.
 */
export class GroupCommitQueue<I, R> {
  private readonly waiting: Waiting<I, R>[] = [];
  private inFlight = 0;
  private pumpScheduled = false;
  private lastSettled: Promise<void> = Promise.resolve();

  constructor(
    private readonly commit: CommitBatch<I, R>,
    private readonly limits: GroupCommitLimits,
  ) {}

  /** Queues the item synchronously, so the order of calls is the order of commit. */
  submit(item: I, bytes: number): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, bytes, resolve, reject });
      if (!this.pumpScheduled) {
        this.pumpScheduled = true;
        queueMicrotask(() => {
          this.pumpScheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.limits.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.batchLength());
      const previous = this.lastSettled;
      this.inFlight += 1;
      let outcome: Promise<R[]>;
      try {
        outcome = this.commit(
          batch.map((waiting) => waiting.item),
          previous,
        );
      } catch (error) {
        outcome = Promise.reject(error);
      }
      this.lastSettled = outcome
        .then(
          async (results) => {
            await previous;
            if (results.length !== batch.length) throw new Error(`group commit answered ${results.length} results for ${batch.length} items`);
            for (const [index, waiting] of batch.entries()) waiting.resolve(results[index] as R);
          },
          async (error: unknown) => {
            await previous;
            throw error;
          },
        )
        .catch((error: unknown) => {
          for (const waiting of batch) waiting.reject(error);
        })
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }

  /** How many of the waiting items the next batch takes: at least one, then as many as fit. */
  private batchLength(): number {
    let bytes = this.waiting[0]?.bytes ?? 0;
    let length = 1;
    while (length < this.waiting.length && length < this.limits.maxItems) {
      const next = (this.waiting[length] as Waiting<I, R>).bytes;
      if (bytes + next > this.limits.maxBytes) break;
      bytes += next;
      length += 1;
    }
    return length;
  }
}
