import { RingQueue } from './ringQueue.ts';
import type { TokenBucket } from './tokenBucket.ts';

/** Highest first: a cancel must never wait behind the orders or data requests it races. */
export const OUTBOUND_PRIORITIES = ['cancel', 'order', 'data'] as const;
export type OutboundPriority = (typeof OUTBOUND_PRIORITIES)[number];

/**
 * Messages to TWS, paced by a token bucket. Nothing is dropped: what the bucket does not
 * allow now waits, and `drain` says when to come back so the caller needs one timer.
 * Strict priority: under sustained order flow, data requests wait.
 */
export class OutboundQueue<M> {
  private readonly lanes: readonly [RingQueue<M>, RingQueue<M>, RingQueue<M>] = [new RingQueue(), new RingQueue(), new RingQueue()];

  constructor(private readonly bucket: TokenBucket) {}

  get size(): number {
    return this.lanes[0].size + this.lanes[1].size + this.lanes[2].size;
  }

  sizeOf(priority: OutboundPriority): number {
    return this.lanes[laneIndex(priority)].size;
  }

  enqueue(message: M, priority: OutboundPriority): void {
    this.lanes[laneIndex(priority)].push(message);
  }

  /**
   * Sends, highest priority first and FIFO within a priority, as many messages as the
   * bucket allows at `now`. Returns when the next one can go, or `null` once empty.
   * If `send` throws, that message stays at the head of its lane and the error propagates.
   */
  drain(now: number, send: (message: M) => void): number | null {
    for (;;) {
      const lane = this.nextLane();
      if (lane === undefined) return null;
      if (!this.bucket.tryTake(now)) return this.bucket.nextAvailableAt(now);
      send(lane.peek() as M);
      lane.shift();
    }
  }

  private nextLane(): RingQueue<M> | undefined {
    if (this.lanes[0].size > 0) return this.lanes[0];
    if (this.lanes[1].size > 0) return this.lanes[1];
    if (this.lanes[2].size > 0) return this.lanes[2];
    return undefined;
  }
}

function laneIndex(priority: OutboundPriority): 0 | 1 | 2 {
  switch (priority) {
    case 'cancel':
      return 0;
    case 'order':
      return 1;
    case 'data':
      return 2;
    default:
      throw new TypeError(`unknown outbound priority: ${String(priority)}`);
  }
}
