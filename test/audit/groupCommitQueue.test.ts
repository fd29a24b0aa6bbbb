import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupCommitQueue, type GroupCommitLimits } from '../../src/audit/groupCommitQueue.ts';

/** The queue alone, with a commit function that records what it was given (no Redis involved). */
function recordingQueue(limits: GroupCommitLimits, failing: (items: number[]) => boolean = () => false) {
  const batches: number[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const queue = new GroupCommitQueue<number, string>(async (items) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    batches.push(items);
    await Promise.resolve();
    inFlight -= 1;
    if (failing(items)) throw new Error(`batch ${items.join(',')} failed`);
    return items.map((item) => `result-${item}`);
  }, limits);
  return { queue, batches, maxInFlight: () => maxInFlight };
}

describe('group commit queue', () => {
  it('fast-check: batches keep submit order and limits, at most maxInFlight at a time, and every submitter gets its own result', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ bytes: fc.integer({ min: 1, max: 400 }), awaitBefore: fc.boolean() }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 3 }),
        async (submits, maxItems, maxBytes, inFlightLimit) => {
          const { queue, batches, maxInFlight } = recordingQueue({ maxItems, maxBytes, maxInFlight: inFlightLimit });
          const sizes = new Map<number, number>();
          const pending: Promise<string>[] = [];
          for (const [n, { bytes, awaitBefore }] of submits.entries()) {
            // Sometimes wait for what is queued, so batches form around commits of every size.
            if (awaitBefore) await Promise.all(pending);
            sizes.set(n, bytes);
            pending.push(queue.submit(n, bytes));
          }
          expect(await Promise.all(pending)).toEqual(submits.map((_, n) => `result-${n}`));
          expect(batches.flat()).toEqual(submits.map((_, n) => n));
          expect(maxInFlight()).toBeLessThanOrEqual(inFlightLimit);
          for (const batch of batches) {
            expect(batch.length).toBeLessThanOrEqual(maxItems);
            const bytes = batch.reduce((sum, n) => sum + (sizes.get(n) as number), 0);
            if (batch.length > 1) expect(bytes).toBeLessThanOrEqual(maxBytes);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a synchronous burst shares batches: only the limits split it', async () => {
    const { queue, batches } = recordingQueue({ maxItems: 4, maxBytes: 1_000, maxInFlight: 1 });
    await Promise.all(Array.from({ length: 10 }, (_, n) => queue.submit(n, 1)));
    expect(batches).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it('a failed commit rejects exactly its own batch; the next batch still commits', async () => {
    const { queue, batches } = recordingQueue({ maxItems: 3, maxBytes: 1_000, maxInFlight: 2 }, (items) => items.includes(4));
    const settled = await Promise.allSettled(Array.from({ length: 8 }, (_, n) => queue.submit(n, 1)));
    expect(batches).toEqual([[0, 1, 2], [3, 4, 5], [6, 7]]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect((settled[3] as PromiseRejectedResult).reason).toEqual(new Error('batch 3,4,5 failed'));
    expect(await queue.submit(8, 1)).toBe('result-8');
  });

  it('batches under way together settle in submit order, whichever commit answers first; a later one sees the earlier settle first', async () => {
    const answers: (() => void)[] = [];
    const order: number[] = [];
    /** For each batch, which submitters had got their results when its `previous` settled. */
    const settledBefore = new Map<number, number[]>();
    const queue = new GroupCommitQueue<number, number>(
      (items, previous) => {
        void previous.then(() => settledBefore.set(items[0] as number, [...order]));
        return new Promise((resolve) => answers.push(() => resolve(items)));
      },
      { maxItems: 2, maxBytes: 1_000, maxInFlight: 2 },
    );
    const all = [0, 1, 2, 3].map((n) => queue.submit(n, 1).then((result) => order.push(result)));
    await Promise.resolve();
    expect(answers).toHaveLength(2);
    answers[1]!(); // the second batch answers first
    await Promise.resolve();
    expect(order).toEqual([]);
    answers[0]!();
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(settledBefore.get(2)).toEqual([0, 1]);
  });
});
