import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruMap } from '../../../src/ib/referenceData/index.ts';

describe('LruMap', () => {
  it('evicts the least recently used entry, where a read counts as a use', () => {
    const lru = new LruMap<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.get('a')).toBe(1);
    lru.set('d', 4);
    expect(lru.keys()).toEqual(['c', 'a', 'd']);
    expect(lru.get('b')).toBeUndefined();
  });

  it('overwriting a key refreshes it without growing', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('a', 10);
    lru.set('c', 3);
    expect(lru.keys()).toEqual(['a', 'c']);
    expect(lru.get('a')).toBe(10);
  });

  it('keeps an undefined value as a real entry', () => {
    const lru = new LruMap<string, undefined>(2);
    lru.set('a', undefined);
    lru.set('b', undefined);
    lru.get('a');
    lru.set('c', undefined);
    expect(lru.keys()).toEqual(['a', 'c']);
  });

  it('refuses a capacity below one', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
  });

  it('behaves like a reference model: bounded, most recent kept, least recent evicted', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.nat(8), value: fc.integer() }),
      fc.record({ kind: fc.constant('get' as const), key: fc.nat(8) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.nat(8) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 60 }), (capacity, ops) => {
        const lru = new LruMap<number, number>(capacity);
        // Model: an array ordered least recent first.
        let model: Array<[number, number]> = [];
        for (const o of ops) {
          const found = model.find(([key]) => key === o.key);
          if (o.kind === 'get') {
            expect(lru.get(o.key)).toBe(found?.[1]);
            if (found) model = [...model.filter(([key]) => key !== o.key), found];
          } else if (o.kind === 'set') {
            lru.set(o.key, o.value);
            model = [...model.filter(([key]) => key !== o.key), [o.key, o.value]];
            if (model.length > capacity) model = model.slice(1);
          } else {
            expect(lru.delete(o.key)).toBe(found !== undefined);
            model = model.filter(([key]) => key !== o.key);
          }
          expect(lru.keys()).toEqual(model.map(([key]) => key));
          expect(lru.size).toBeLessThanOrEqual(capacity);
        }
      }),
    );
  });
});
