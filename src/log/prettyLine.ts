/** The fields that say whose line it is come first, in this order; the rest follow as logged. */
const LEADING_KEYS = ['systemId', 'actorId', 'orderId', 'clientOrderId', 'requestId'];
const OMITTED_KEYS = new Set(['level', 'message', 'timestamp', 'error', 'stack']);

const LEVEL_COLOURS: Record<string, string> = { error: '31', warn: '33', info: '32', http: '36', verbose: '36', debug: '90', silly: '90' };

export interface PrettyOptions {
  colour: boolean;
}

/**
 * One log entry as a person reads it: `time LEVEL message key=value …`, then an error's stack
 * frames (and its causes) on the following lines. `info` has already been through the
 * structuring and redaction formats, so errors arrive as ErrorFields.
 */
export function prettyLine(info: Record<string, unknown>, options: PrettyOptions): string {
  const level = String(info.level ?? '');
  const shownLevel = level.toUpperCase().padEnd(5);
  const head = [timeOfDay(info.timestamp), options.colour ? paint(shownLevel, LEVEL_COLOURS[level]) : shownLevel, String(info.message ?? '')];
  const keys = [...LEADING_KEYS.filter((key) => key in info), ...Object.keys(info).filter((key) => !LEADING_KEYS.includes(key) && !OMITTED_KEYS.has(key))];
  const pairs = keys.filter((key) => info[key] !== undefined).map((key) => `${key}=${fieldText(info[key])}`);
  const error = info.error;
  if (error !== undefined) pairs.push(`error=${fieldText(isRecord(error) ? error.message : error)}`);
  const lines = [[...head, ...pairs].join(' ')];
  if (isRecord(error)) lines.push(...errorLines(error, 0));
  if (Array.isArray(info.stack)) lines.push(...info.stack.map((frame) => `    ${String(frame)}`));
  return lines.join('\n');
}

function errorLines(error: Record<string, unknown>, depth: number): string[] {
  const lines = Array.isArray(error.stack) ? error.stack.map((frame) => `    ${String(frame)}`) : [];
  const cause = error.cause;
  if (cause === undefined || depth > 4) return lines;
  lines.push(`  caused by: ${isRecord(cause) ? `${String(cause.name ?? 'Error')}: ${String(cause.message ?? '')}` : String(cause)}`);
  if (isRecord(cause)) lines.push(...errorLines(cause, depth + 1));
  return lines;
}

/** Bare when it reads unambiguously, quoted when it has spaces or quotes, JSON for structures. */
function fieldText(value: unknown): string {
  if (typeof value === 'string') return value !== '' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return JSON.stringify(value);
}

function timeOfDay(timestamp: unknown): string {
  // The date is in every JSON line; at a terminal the time of day is what a person scans for.
  return typeof timestamp === 'string' && timestamp.length >= 23 ? timestamp.slice(11, 23) : String(timestamp ?? '');
}

function paint(text: string, code: string | undefined): string {
  return code ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
