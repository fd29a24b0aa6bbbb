import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contractKey, type ContractKeyFields } from '../../../src/ib/referenceData/index.ts';

const es = { symbol: 'ES', secType: 'FUT', exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202512' };

describe('contractKey', () => {
  it('reads as the request it stands for', () => {
    expect(contractKey(es)).toBe('FUT:ES:CME:USD:202512:0');
    expect(contractKey({ ...es, conId: 495512563 })).toBe('FUT:ES:CME:USD:202512:495512563');
  });

  it('treats what IB treats as unset as missing: empty strings, surrounding spaces, conId 0', () => {
    expect(contractKey({ ...es, exchange: '', conId: 0 })).toBe(contractKey({ ...es, exchange: undefined }));
    expect(contractKey({ ...es, symbol: ' ES ' })).toBe(contractKey(es));
  });

  it('keeps case, so it never answers one request with another spelling’s result', () => {
    expect(contractKey({ ...es, symbol: 'es' })).not.toBe(contractKey(es));
  });

  it('refuses a conId that is not a non-negative integer', () => {
    expect(() => contractKey({ conId: -1 })).toThrow(RangeError);
    expect(() => contractKey({ conId: 1.5 })).toThrow(RangeError);
  });

  it('gives different requests different keys, even with separators inside values', () => {
    // A small alphabet so equal requests come up often, with separators and their escapes in it.
    const part = fc.constantFrom(undefined, 'ES', 'E', 'S', ':', 'E:S', 'ES:', '%3A', '%');
    const fields: fc.Arbitrary<ContractKeyFields> = fc.record({
      symbol: part,
      secType: part,
      exchange: part,
      currency: part,
      lastTradeDateOrContractMonth: part,
      conId: fc.constantFrom(undefined, 1, 12),
    });
    fc.assert(
      fc.property(fields, fields, (a, b) => {
        const same = (Object.keys(a) as (keyof ContractKeyFields)[]).every((k) => a[k] === b[k]);
        expect(contractKey(a) === contractKey(b)).toBe(same);
      }),
    );
  });
});
