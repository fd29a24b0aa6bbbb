import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalStreamId, compareStreamIds } from '../../src/events/streamIds.ts';

const u64 = fc.bigInt({ min: 0n, max: 0xffffffffffffffffn });
const idArb = fc.tuple(u64, u64).map(([ms, seq]) => `${ms}-${seq}`);

describe('stream ids', () => {
  it('compare as Redis orders them: by milliseconds, then sequence (fast-check)', () => {
    fc.assert(
      fc.property(idArb, idArb, (a, b) => {
        const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
        const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
        const expected = am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
        expect(Math.sign(compareStreamIds(a, b))).toBe(expected);
      }),
    );
  });

  it('a client id is made canonical; anything else is refused', () => {
    expect(canonicalStreamId('1765008000000-0')).toBe('1765008000000-0');
    expect(canonicalStreamId('0012-03')).toBe('12-3');
    for (const bad of ['', 'abc', '12', '12-', '-3', '1-2-3', '1.5-0', '18446744073709551616-0', ' 1-0']) expect(canonicalStreamId(bad), bad).toBeNull();
  });
});
