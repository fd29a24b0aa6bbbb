import winston from 'winston';
import { redactSecrets } from './redact';

export type Logger = winston.Logger;

// Winston formats mutate the info object in place; we redact by rebuilding its own fields.
const redactFormat = winston.format((info) => {
  const cleaned = redactSecrets({ ...info }) as Record<string, unknown>;
  for (const key of Object.keys(cleaned)) (info as Record<string, unknown>)[key] = cleaned[key];
  return info;
});

export interface LoggerOptions {
  level?: string;
  /** Extra transports, e.g. an in-memory one in tests. Defaults to stdout. */
  transports?: winston.transport[];
  silent?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return winston.createLogger({
    level: options.level ?? process.env.TRADEWIRE_LOG_LEVEL ?? 'info',
    silent: options.silent ?? false,
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      redactFormat(),
      winston.format.json(),
    ),
    transports: options.transports ?? [new winston.transports.Console()],
  });
}

/** A logger for tests and benchmarks that writes nothing. */
export function createSilentLogger(): Logger {
  return createLogger({ silent: true });
}
