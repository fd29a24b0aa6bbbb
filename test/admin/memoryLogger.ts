import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger, type Logger } from '../../src/log/logger.ts';

export type LogEntry = Record<string, unknown> & { message: string; level: string };

/** A real project logger whose JSON lines are kept in memory for assertions. */
export function createMemoryLogger(): { logger: Logger; entries: LogEntry[]; rawLines: string[] } {
  const entries: LogEntry[] = [];
  const rawLines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      const line = chunk.toString().trim();
      rawLines.push(line);
      entries.push(JSON.parse(line) as LogEntry);
      done();
    },
  });
  const logger = createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream })] });
  return { logger, entries, rawLines };
}
