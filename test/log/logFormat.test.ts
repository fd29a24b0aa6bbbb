import { Writable } from 'node:stream';
import fc from 'fast-check';
import winston from 'winston';
import { describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions } from '../../src/log/logger.ts';
import { resolveLogFormat } from '../../src/log/logFormat.ts';
import { createMemoryLogger } from '../admin/memoryLogger.ts';

/** A logger writing to memory, as `createLogger` would build it for the given format. */
function capture(options: LoggerOptions): { logger: winston.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString().replace(/\n$/, ''));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', ...options, transports: [new winston.transports.Stream({ stream })] });
  return { logger, lines };
}

describe('log format', () => {
  it('auto is pretty only at a terminal; json and pretty are what they say', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('lines that do not go to stdout stay JSON under auto, even when stdout is a terminal', () => {
    const { logger, lines } = capture({ format: 'auto', stdoutIsTty: true });
    logger.info('order sent', { orderId: 'o-1' });
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: 'order sent', orderId: 'o-1', level: 'info' });
  });

  it('pretty: time, level, message, then who (actor, order, request) and the other fields as key=value', () => {
    const { logger, lines } = capture({ format: 'pretty' });
    logger.warn('order warning from the broker', { code: 2109, message2: 'outside RTH', requestId: 'req-7', orderId: 'o-1', systemId: 'order:o-1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN  order warning from the broker systemId=order:o-1 orderId=o-1 requestId=req-7 code=2109 message2="outside RTH"$/);
  });

  it('pretty: an error is one field on the first line and its stack frames and causes on the following ones', () => {
    const { logger, lines } = capture({ format: 'pretty' });
    logger.error('admin request failed', { requestId: 'r-1', error: new Error('store down', { cause: new TypeError('socket closed') }) });
    const text = lines.join('\n').split('\n');
    expect(text[0]).toMatch(/ERROR admin request failed requestId=r-1 error="store down"$/);
    expect(text[1]).toMatch(/^ {4}at /);
    expect(text).toContain('  caused by: TypeError: socket closed');
  });

  it('pretty: colour only when the lines go to a terminal, and secrets stay redacted', () => {
    const plain = capture({ format: 'pretty', stdoutIsTty: true });
    plain.logger.info('request', { token: 'tok-999', url: 'redis://app:hunter2@h:6379' });
    expect(plain.lines[0]).not.toContain('\u001b[');
    expect(plain.lines[0]).not.toContain('tok-999');
    expect(plain.lines[0]).not.toContain('hunter2');
  });

  it('pretty: any message and string fields make exactly one line without an error, and every value is readable back', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (message, value) => {
        const { logger, lines } = capture({ format: 'pretty' });
        // A '%' in the message makes winston read the fields as printf arguments (its splat rule), in either format.
        logger.info(message.replaceAll('\n', ' ').replaceAll('%', ''), { field: value });
        const line = lines.join('\n');
        expect(line.split('\n')).toHaveLength(1);
        const shown = line.slice(line.lastIndexOf(' field=') + ' field='.length);
        expect(shown.startsWith('"') ? JSON.parse(shown) : shown).toBe(value);
      }),
      { numRuns: 100 },
    );
  });
});

describe('error shape', () => {
  it('every way of logging an error gives error: { message, stack }', () => {
    const { logger, entries } = createMemoryLogger();
    const failure = new Error('redis gone');
    logger.error('caught', { error: failure });
    logger.error('caught', { error: failure.message, stack: failure.stack });
    logger.error('caught', { error: failure.message });
    logger.error(failure);
    for (const entry of entries) {
      expect(entry.error).toMatchObject({ message: 'redis gone' });
      expect(entry).not.toHaveProperty('stack');
    }
    for (const entry of [entries[0], entries[1], entries[3]]) expect((entry!.error as { stack: string[] }).stack[0]).toMatch(/^at /);
  });
});
