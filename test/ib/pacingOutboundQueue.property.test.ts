import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OUTBOUND_PRIORITIES, OutboundQueue, TokenBucket, type OutboundPriority } from '../../src/ib/pacing/index.ts';

interface Message {
  readonly id: number;
  readonly priority: OutboundPriority;
}

type Op = { kind: 'enqueue'; priority: OutboundPriority; count: number; gapMs: number } | { kind: 'drain'; gapMs: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('enqueue' as const),
    priority: fc.constantFrom(...OUTBOUND_PRIORITIES),
    count: fc.integer({ min: 1, max: 30 }),
    gapMs: fc.integer({ min: 0, max: 400 }),
  }),
  fc.record({ kind: fc.constant('drain' as const), gapMs: fc.integer({ min: 0, max: 400 }) }),
);

const rank = (p: OutboundPriority) => OUTBOUND_PRIORITIES.indexOf(p);

/**
 * Drives a queue through random enqueues and drains, then lets time run until it is empty.
 * A model of what is waiting, kept independently of the queue, checks every send against
 * strict priority and FIFO as it happens.
 */
function run(rate: number, burst: number, ops: readonly Op[]) {
  const queue = new OutboundQueue<Message>(new TokenBucket({ ratePerSecond: rate, burst }));
  const waiting: Message[] = []; // in enqueue order
  const sends: { id: number; at: number }[] = [];
  const enqueuedIds: number[] = [];
  let nextId = 0;
  let now = 0;

  const send = (m: Message) => {
    const higherWaiting = waiting.some((w) => rank(w.priority) < rank(m.priority));
    expect(higherWaiting, `message ${m.id} (${m.priority}) sent while a higher priority waited`).toBe(false);
    const oldestOfItsPriority = waiting.find((w) => w.priority === m.priority);
    expect(oldestOfItsPriority?.id, `message ${m.id} overtook an older ${m.priority}`).toBe(m.id);
    waiting.splice(waiting.indexOf(oldestOfItsPriority!), 1);
    sends.push({ id: m.id, at: now });
  };

  for (const op of ops) {
    now += op.gapMs;
    if (op.kind === 'enqueue') {
      for (let i = 0; i < op.count; i++) {
        const m = { id: nextId++, priority: op.priority };
        enqueuedIds.push(m.id);
        waiting.push(m);
        queue.enqueue(m, op.priority);
      }
    } else {
      queue.drain(now, send);
    }
  }

  // Let time advance to each moment drain asks for, as the caller's single timer would.
  let guard = 0;
  for (let next = queue.drain(now, send); next !== null; next = queue.drain(now, send)) {
    expect(next).toBeGreaterThan(now);
    now = next;
    if (++guard > 100_000) throw new Error('queue never emptied');
  }
  return { sends, enqueuedIds, queue };
}

describe('OutboundQueue properties', () => {
  const config = fc.record({
    rate: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0.5, max: 60, noNaN: true })),
    burst: fc.integer({ min: 1, max: 10 }),
  });

  it('(a) never sends more than rate + burst in any one-second window', () => {
    fc.assert(
      fc.property(config, fc.array(opArb, { maxLength: 60 }), ({ rate, burst }, ops) => {
        const { sends } = run(rate, burst, ops);
        const limit = Math.floor(rate + burst + 1e-6);
        let windowStart = 0;
        // Closed window [t, t + 1000]: the strictest reading of "in one second".
        for (let end = 0; end < sends.length; end++) {
          while (sends[end]!.at - sends[windowStart]!.at > 1_000) windowStart++;
          expect(end - windowStart + 1).toBeLessThanOrEqual(limit);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('(b) sends every enqueued message exactly once once time has advanced enough', () => {
    fc.assert(
      fc.property(config, fc.array(opArb, { maxLength: 60 }), ({ rate, burst }, ops) => {
        const { sends, enqueuedIds, queue } = run(rate, burst, ops);
        expect(queue.size).toBe(0);
        const sentIds = sends.map((s) => s.id);
        expect(new Set(sentIds).size).toBe(sentIds.length);
        expect([...sentIds].sort((a, b) => a - b)).toEqual(enqueuedIds);
      }),
      { numRuns: 200 },
    );
  });

  it('(c) a cancel queued before a drain is never sent after a data request queued at the same time', () => {
    fc.assert(
      fc.property(
        config,
        fc.array(opArb, { maxLength: 40 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        ({ rate, burst }, before, cancels, datas) => {
          // Random history first, then data and cancels enqueued together (data first, to make it harder).
          const ops: Op[] = [
            ...before,
            { kind: 'enqueue', priority: 'data', count: datas, gapMs: 0 },
            { kind: 'enqueue', priority: 'cancel', count: cancels, gapMs: 0 },
            { kind: 'drain', gapMs: 0 },
          ];
          const { sends } = run(rate, burst, ops);
          const idsBefore = before.reduce((n, op) => n + (op.kind === 'enqueue' ? op.count : 0), 0);
          const dataIds = new Set(Array.from({ length: datas }, (_, i) => idsBefore + i));
          const cancelIds = new Set(Array.from({ length: cancels }, (_, i) => idsBefore + datas + i));
          const order = sends.map((s) => s.id);
          const lastCancel = Math.max(...order.map((id, i) => (cancelIds.has(id) ? i : -1)));
          const firstData = Math.min(...order.map((id, i) => (dataIds.has(id) ? i : Infinity)));
          expect(lastCancel).toBeLessThan(firstData);
        },
      ),
      { numRuns: 200 },
    );
  });
});
