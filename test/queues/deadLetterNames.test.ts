import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadJobId, deadLetterId, InvalidDurationError, parseDeadLetterId, parseDuration } from '../../src/queues/index.ts';

describe('dead-letter ids', () => {
  it('round-trip through the public id, job ids with colons included', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9_-]{0,15}$/), fc.string({ minLength: 1 }), (queue, jobId) => {
        expect(parseDeadLetterId(deadLetterId(queue, jobId))).toEqual({ queue, jobId });
      }),
    );
  });

  it('derive distinct BullMQ ids for distinct jobs, never integer-looking', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a !== b);
        expect(deadJobId('orders', a)).not.toBe(deadJobId('orders', b));
        expect(deadJobId('orders', a)).not.toMatch(/^\d+$/);
      }),
    );
  });

  it.each([['42'], ['orders'], ['orders:42'], ['orders:dead:'], [':dead:1']])('rejects %j as a dead-letter id', (id) => {
    expect(parseDeadLetterId(id)).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['45s', 45_000],
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['1h30m', 5_400_000],
    ['0s', 0],
  ])('%s is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([['abc'], ['7'], ['d'], ['-1d'], ['1.5h'], ['7 d'], ['7D'], [''], ['99999999999999999999d']])('rejects %j', (input) => {
    expect(() => parseDuration(input)).toThrow(InvalidDurationError);
  });

  it('names the field it came from', () => {
    expect(() => parseDuration('7 days', '--older-than')).toThrow(/^--older-than: invalid duration "7 days"/);
  });
});
