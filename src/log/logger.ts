import winston from 'winston';
import { nestErrorFields, structureErrors } from './errorFields.ts';
import { type LogFormat, resolveLogFormat } from './logFormat.ts';
import { prettyLine } from './prettyLine.ts';
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
  const structured = nestErrorFields(structureErrors({ ...info }) as Record<string, unknown>);
  const cleaned = redactSecrets(structured) as Record<string, unknown>;
  if (!('stack' in cleaned)) delete (info as Record<string, unknown>).stack;
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
  /**
   * `auto` (the default): pretty when the lines go to stdout and stdout is a terminal, JSON
   * otherwise (given transports, pipes, files, journald). Defaults to $TRADEWIRE_LOG_FORMAT.
   */
  format?: LogFormat;
  /** Whether stdout is a terminal; tests pin it. */
  stdoutIsTty?: boolean;
}

const prettyFormat = (colour: boolean) => winston.format.printf((info) => prettyLine(info as Record<string, unknown>, { colour }));

export function createLogger(options: LoggerOptions = {}): Logger {
  const toStdout = options.transports === undefined;
  const isTty = options.stdoutIsTty ?? process.stdout.isTTY === true;
  const requested = options.format ?? (toStdout ? envLogFormat() : undefined) ?? 'auto';
  const shape = resolveLogFormat(requested, toStdout && isTty);
  return winston.createLogger({
    level: options.level ?? process.env.TRADEWIRE_LOG_LEVEL ?? 'info',
    silent: options.silent ?? false,
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      safeFieldsFormat(),
      shape === 'pretty' ? prettyFormat(toStdout && isTty) : winston.format.json(),
    ),
    transports: options.transports ?? [new winston.transports.Console()],
  });
}

function envLogFormat(): LogFormat | undefined {
  const value = process.env.TRADEWIRE_LOG_FORMAT;
  return value === 'auto' || value === 'json' || value === 'pretty' ? value : undefined;
}

/** A logger for tests and benchmarks that writes nothing. */
export function createSilentLogger(): Logger {
  return createLogger({ silent: true });
}
