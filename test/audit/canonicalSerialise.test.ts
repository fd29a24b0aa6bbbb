import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/index.ts';

describe('canonical serialisation', () => {
  it('sorts keys at every depth, keeps array order, drops undefined members, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [3, { z: true, y: undefined, x: 'é"' }], c: null })).toBe(
      '{"a":[3,{"x":"é\\"","z":true}],"b":1,"c":null}',
    );
  });

  it('is independent of key insertion order, and a fixed point of JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const canonical = canonicalJson(value);
        const reparsed = JSON.parse(canonical) as unknown;
        expect(canonicalJson(reparsed)).toBe(canonical);
        expect(canonicalJson(reverseKeys(reparsed))).toBe(canonical);
        expect(reparsed).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses values without a JSON form, naming where they are', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow('$.a[1]: NaN has no JSON form');
    expect(() => canonicalJson({ when: new Date(0) })).toThrow('$.when: a Date has no canonical JSON form');
    expect(() => canonicalJson({ n: 1n })).toThrow('$.n: a bigint has no canonical JSON form');
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
  }
  return value;
}
