import { describe, expect, it } from 'vitest';
import { OutboundQueue, RingQueue, TokenBucket, type OutboundPriority } from '../../src/ib/pacing/index.ts';

const queueWith = (ratePerSecond: number, burst: number) => new OutboundQueue<string>(new TokenBucket({ ratePerSecond, burst }));

describe('RingQueue', () => {
  it('is FIFO across growth and wrap-around', () => {
    const ring = new RingQueue<number>(2);
    const out: number[] = [];
    let next = 0;
    // Interleave pushes and shifts so the head wraps before the buffer grows.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 3; i++) ring.push(next++);
      for (let i = 0; i < 2; i++) out.push(ring.shift()!);
    }
    while (ring.size > 0) out.push(ring.shift()!);
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(ring.shift()).toBeUndefined();
    expect(ring.peek()).toBeUndefined();
  });
});

describe('OutboundQueue', () => {
  it('sends cancels first, then orders, then data, FIFO within each', () => {
    const queue = queueWith(100, 100);
    const enqueued: [string, OutboundPriority][] = [
      ['data-1', 'data'],
      ['order-1', 'order'],
      ['cancel-1', 'cancel'],
      ['data-2', 'data'],
      ['cancel-2', 'cancel'],
      ['order-2', 'order'],
    ];
    for (const [m, p] of enqueued) queue.enqueue(m, p);
    const sent: string[] = [];
    expect(queue.drain(0, (m) => sent.push(m))).toBeNull();
    expect(sent).toEqual(['cancel-1', 'cancel-2', 'order-1', 'order-2', 'data-1', 'data-2']);
  });

  it('sends what the bucket allows and returns when the next message can go', () => {
    const queue = queueWith(10, 2);
    for (let i = 0; i < 5; i++) queue.enqueue(`m${i}`, 'data');
    const sent: string[] = [];
    const next = queue.drain(0, (m) => sent.push(m));
    expect(sent).toEqual(['m0', 'm1']);
    expect(next).toBe(100);
    expect(queue.size).toBe(3);
    expect(queue.drain(99, (m) => sent.push(m))).toBe(100);
    expect(sent).toHaveLength(2);
    expect(queue.drain(100, (m) => sent.push(m))).toBe(200);
    expect(sent).toEqual(['m0', 'm1', 'm2']);
  });

  it('lets a cancel queued while waiting jump ahead of everything already waiting', () => {
    const queue = queueWith(10, 1);
    queue.enqueue('order-1', 'order');
    queue.enqueue('data-1', 'data');
    const sent: string[] = [];
    queue.drain(0, (m) => sent.push(m));
    queue.enqueue('cancel-1', 'cancel');
    queue.drain(100, (m) => sent.push(m));
    queue.drain(200, (m) => sent.push(m));
    expect(sent).toEqual(['order-1', 'cancel-1', 'data-1']);
  });

  it('returns null on an empty queue without taking a token', () => {
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1 });
    const queue = new OutboundQueue<string>(bucket);
    expect(queue.drain(0, () => undefined)).toBeNull();
    expect(bucket.tryTake(0)).toBe(true);
  });

  it('keeps a message whose send throws, so it is not lost', () => {
    const queue = queueWith(100, 10);
    queue.enqueue('a', 'order');
    queue.enqueue('b', 'order');
    expect(() =>
      queue.drain(0, () => {
        throw new Error('socket closed');
      }),
    ).toThrow('socket closed');
    expect(queue.size).toBe(2);
    const sent: string[] = [];
    queue.drain(0, (m) => sent.push(m));
    expect(sent).toEqual(['a', 'b']);
  });

  it('counts per priority', () => {
    const queue = queueWith(1, 1);
    queue.enqueue('c', 'cancel');
    queue.enqueue('d1', 'data');
    queue.enqueue('d2', 'data');
    expect([queue.sizeOf('cancel'), queue.sizeOf('order'), queue.sizeOf('data'), queue.size]).toEqual([1, 0, 2, 3]);
  });

  it('refuses an unknown priority instead of losing the message', () => {
    const queue = queueWith(1, 1);
    expect(() => queue.enqueue('x', 'urgent' as OutboundPriority)).toThrow(TypeError);
    expect(queue.size).toBe(0);
  });
});
