import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../admin/memoryLogger.ts';

type Fields = { name: string; message: string; stack: string[]; code?: string; cause?: unknown };

/** Every string anywhere in a parsed log entry. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('errors in log lines', () => {
  it('an Error in a field is logged as name, message, code and stack frames, not {}', () => {
    const { logger, entries } = createMemoryLogger();
    logger.error('store failed', { error: Object.assign(new RangeError('offset out of range'), { code: 'ERR_OUT_OF_RANGE' }), orderId: 'o-1' });
    const [entry] = entries;
    const error = entry!.error as Fields;
    expect(error).toMatchObject({ name: 'RangeError', message: 'offset out of range', code: 'ERR_OUT_OF_RANGE' });
    expect(error.stack.length).toBeGreaterThan(0);
    for (const frame of error.stack) expect(frame).toMatch(/^at \S/);
    expect(entry!.orderId).toBe('o-1');
  });

  it('an Error logged as the entry, a multi-line stack string, and nested errors and causes are structured too', () => {
    const { logger, entries } = createMemoryLogger();
    logger.error(new Error('boom'));
    const failure = new Error('outer', { cause: new Error('inner') });
    logger.error('async exception in actor code', { error: failure.message, stack: failure.stack });
    logger.warn('batch', { results: [{ ok: false, error: failure }] });
    expect(entries[0]).toMatchObject({ level: 'error', message: 'boom', error: { message: 'boom' } });
    expect(((entries[0]!.error as Fields).stack).every((frame) => frame.startsWith('at '))).toBe(true);
    expect(entries[1]).toMatchObject({ error: { message: 'outer' } });
    expect(((entries[1]!.error as Fields).stack)[0]).toMatch(/^at /);
    expect(entries[1]).not.toHaveProperty('stack');
    const nested = (entries[2]!.results as { error: Fields }[])[0]!.error;
    expect(nested).toMatchObject({ message: 'outer', cause: { message: 'inner' } });
  });

  it('no string in any entry holds a stack trace over several lines (any messages, any nesting)', () => {
    const message = fc.string({ maxLength: 40 });
    fc.assert(
      fc.property(message, message, fc.boolean(), (outer, inner, nestIt) => {
        const { logger, rawLines } = createMemoryLogger();
        const error = new Error(outer, { cause: new TypeError(inner) });
        logger.error('failed', nestIt ? { detail: { error } } : { error, stack: error.stack });
        expect(rawLines).toHaveLength(1);
        for (const text of strings(JSON.parse(rawLines[0]!))) expect(text.includes('\n    at ')).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});

describe('secrets in log lines', () => {
  it('URL-like fields lose their password and credential query values; secret keys stay redacted', () => {
    const { logger, rawLines, entries } = createMemoryLogger();
    logger.info('request', { url: 'redis://app:hunter2@redis.internal:6379/0', path: '/actors?access_token=abc123def&depth=2', token: 'tok-999', key: 'orders:o-1' });
    expect(entries[0]).toMatchObject({ url: 'redis://app:[redacted]@redis.internal:6379/0', path: '/actors?access_token=[redacted]&depth=2', token: '[redacted]', key: 'orders:o-1' });
    for (const secret of ['hunter2', 'abc123def', 'tok-999']) expect(rawLines[0]).not.toContain(secret);
  });
});

describe('flags about secrets', () => {
  it('a boolean under a secret-looking key says whether the secret is set, so it is kept', () => {
    const { logger, entries } = createMemoryLogger();
    logger.info('admin listening', { readTokenConfigured: true, readsNeedToken: false, adminToken: 'abc-123' });
    expect(entries[0]).toMatchObject({ readTokenConfigured: true, readsNeedToken: false, adminToken: '[redacted]' });
  });
});
