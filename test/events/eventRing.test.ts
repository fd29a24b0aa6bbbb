import { describe, expect, it } from 'vitest';
import type { EventEntry } from '../../src/events/eventEntry.ts';
import { EventRing } from '../../src/events/eventRing.ts';

const entry = (n: number, prev = n - 1): EventEntry => ({ id: `${n}-0`, prev: prev === 0 ? '0-0' : `${prev}-0`, type: 'order', data: '{}' });
const ids = (entries: EventEntry[] | null) => entries?.map((e) => e.id) ?? null;

describe('the ring of recent entries', () => {
  it('serves what follows a position it covers, up to the limit; empty at its end', () => {
    const ring = new EventRing(4);
    for (let n = 1; n <= 3; n += 1) ring.push(entry(n));
    expect(ids(ring.after('0-0', 10))).toEqual(['1-0', '2-0', '3-0']);
    expect(ids(ring.after('1-0', 1))).toEqual(['2-0']);
    expect(ids(ring.after('3-0', 10))).toEqual([]);
    // An id between two entries (never written, or a client's own) is a position too.
    expect(ids(ring.after('2-5', 10))).toEqual(['3-0']);
  });

  it('keeps the newest entries; a position before what it holds is not covered (read Redis)', () => {
    const ring = new EventRing(3);
    for (let n = 1; n <= 5; n += 1) ring.push(entry(n));
    expect(ring.size).toBe(3);
    expect(ids(ring.after('2-0', 10))).toEqual(['3-0', '4-0', '5-0']);
    expect(ring.after('1-0', 10)).toBeNull();
    ring.clear();
    expect(ring.after('5-0', 10)).toBeNull();
  });

  it('covers a position right before a gap the tail read across, so the client hears of it from the entry itself', () => {
    const ring = new EventRing(3);
    ring.push(entry(7, 4));
    expect(ids(ring.after('4-0', 10))).toEqual(['7-0']);
    expect(ids(ring.after('5-0', 10))).toEqual(['7-0']);
    expect(ring.after('3-0', 10)).toBeNull();
  });
});
