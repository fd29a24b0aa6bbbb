import winston from 'winston';
import { structureErrors } from './errorFields.ts';
import { redactSecrets } from './redact.ts';
import { redactUrl } from './redactUrl.ts';

export type Logger = winston.Logger;

const URL_FIELD = /^(url|path|href|uri|location)$/i;

/**
 * Errors become fields (name, message, code, stack frames) instead of `{}` or a multi-line
 * string; secret-looking keys are redacted, and so are passwords and credential query values in
 * URL-like fields. Winston formats mutate the info object in place, so its own fields are rebuilt.
 */
const safeFieldsFormat = winston.format((info) => {
  const structured = structureErrors({ ...info }) as Record<string, unknown>;
  const cleaned = redactSecrets(structured) as Record<string, unknown>;
  for (const key of Object.keys(cleaned)) {
    const value = cleaned[key];
    (info as Record<string, unknown>)[key] = URL_FIELD.test(key) && typeof value === 'string' ? redactUrl(value) : value;
  }
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
      safeFieldsFormat(),
      winston.format.json(),
    ),
    transports: options.transports ?? [new winston.transports.Console()],
  });
}

/** A logger for tests and benchmarks that writes nothing. */
export function createSilentLogger(): Logger {
  return createLogger({ silent: true });
}
