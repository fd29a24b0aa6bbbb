import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

// Wrap the real timingSafeEqual so the test can see what it is asked to compare.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const crypto = await import('node:crypto');
const { bearerToken, tokensMatch } = await import('../../src/admin/tokensMatch.ts');

describe('tokensMatch', () => {
  it('is true exactly when the strings are equal', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => tokensMatch(a, b) === (a === b)));
    fc.assert(fc.property(fc.string(), (a) => tokensMatch(a, a)));
  });

  it('rejects prefixes and extensions of the token', () => {
    expect(tokensMatch('secret', 'secret-token')).toBe(false);
    expect(tokensMatch('secret-token-and-more', 'secret-token')).toBe(false);
  });

  it('always compares equal-length digests, so the token length does not leak', () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    tokensMatch('a', 'a much longer expected token value');
    tokensMatch('', 'x');
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
    ['Bearer', undefined],
    ['Bearer ', undefined],
    ['Bearer a b', undefined],
    ['Basic abc', undefined],
    [undefined, undefined],
  ])('%j → %j', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});
