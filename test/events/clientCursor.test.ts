import { describe, expect, it } from 'vitest';
import { ClientCursor } from '../../src/events/clientCursor.ts';
import type { EventEntry } from '../../src/events/eventEntry.ts';

const entry = (n: number, prev: number, type = 'order'): EventEntry => ({ id: `${n}-0`, prev: `${prev}-0`, type, data: '{}' });

describe("a client's cursor", () => {
  it('passes entries that follow on; announces a gap once, before the entry after it', () => {
    const cursor = new ClientCursor('1-0', { resumed: false, types: null });
    expect(cursor.take(entry(2, 1))).toEqual({ lost: null, entry: entry(2, 1) });
    expect(cursor.take(entry(9, 5))).toEqual({ lost: { lastEventId: '2-0', oldestRetainedId: '9-0', reason: 'fell_behind' }, entry: entry(9, 5) });
    expect(cursor.take(entry(10, 9)).lost).toBeNull();
    expect(cursor.position).toBe('10-0');
  });

  it("a gap right after a client's Last-Event-ID is a resume point no longer retained", () => {
    const cursor = new ClientCursor('3-0', { resumed: true, types: null });
    expect(cursor.take(entry(8, 7)).lost).toEqual({ lastEventId: '3-0', oldestRetainedId: '8-0', reason: 'resume_point_not_retained' });
    expect(cursor.take(entry(12, 10)).lost?.reason).toBe('fell_behind');
  });

  it('a Last-Event-ID right before the oldest retained entry lost nothing', () => {
    const cursor = new ClientCursor('7-0', { resumed: true, types: null });
    expect(cursor.take(entry(8, 7)).lost).toBeNull();
  });

  it('filters by type but moves past every entry; a gap is announced whatever the types', () => {
    const cursor = new ClientCursor('0-0', { resumed: false, types: new Set(['halt']) });
    expect(cursor.take(entry(1, 0, 'order')).entry).toBeNull();
    expect(cursor.position).toBe('1-0');
    expect(cursor.take(entry(2, 1, 'halt')).entry?.id).toBe('2-0');
    expect(cursor.take(entry(5, 4, 'order'))).toEqual({ lost: { lastEventId: '2-0', oldestRetainedId: '5-0', reason: 'fell_behind' }, entry: null });
    expect(cursor.isAhead(entry(5, 4))).toBe(false);
    expect(cursor.isAhead(entry(6, 5))).toBe(true);
  });
});
