/** An error as log fields: JSON has no Error, and `JSON.stringify(new Error('x'))` is `{}`. */
export interface ErrorFields {
  name: string;
  message: string;
  code?: string | number;
  /** One frame per entry (`at fn (file:line:col)`), so no multi-line text lands in the log. */
  stack: string[];
  cause?: ErrorFields | string;
}

const MAX_FRAMES = 30;
const MAX_DEPTH = 5;

/** The frames of a stack trace, one per entry, without the message lines V8 puts first. */
export function stackFrames(stack: string): string[] {
  const lines = stack.split('\n').map((line) => line.trim());
  const frames = lines.filter((line) => line.startsWith('at '));
  // A stack that is not V8's (hand-made, or from another runtime) is kept line by line.
  return (frames.length > 0 ? frames : lines.filter((line) => line.length > 0)).slice(0, MAX_FRAMES);
}

export function errorFields(error: Error, depth = 0): ErrorFields {
  const fields: ErrorFields = { name: error.name, message: error.message, stack: typeof error.stack === 'string' ? stackFrames(error.stack) : [] };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') fields.code = code;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && depth < MAX_DEPTH) fields.cause = errorFields(cause, depth + 1);
  else if (cause !== undefined && cause !== null) fields.cause = String(cause);
  return fields;
}

/**
 * A copy of a log entry's fields with every Error (at any depth) as ErrorFields and every
 * multi-line `stack` string split into frames. Plain objects and arrays are copied; anything
 * else is kept as it is.
 */
export function structureErrors(value: unknown, key = '', depth = 0): unknown {
  if (value instanceof Error) return errorFields(value);
  if (key === 'stack' && typeof value === 'string' && value.includes('\n')) return stackFrames(value);
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => structureErrors(item, '', depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [inner, field] of Object.entries(value)) out[inner] = structureErrors(field, inner, depth + 1);
  return out;
}

/**
 * One shape for every logged error, however the caller wrote it: `error: { message, stack, … }`.
 * `{ error: e.message }`, `{ error: e.message, stack: e.stack }` and `logger.error(e)` (whose
 * message and stack winston puts at the top) all end up there; the fields must be structured first.
 */
export function nestErrorFields(fields: Record<string, unknown>): Record<string, unknown> {
  const { error, stack } = fields;
  if (error === undefined && stack === undefined) return fields;
  const out = { ...fields };
  delete out.stack;
  const nested: Record<string, unknown> =
    error !== null && typeof error === 'object' && !Array.isArray(error)
      ? { ...(error as Record<string, unknown>) }
      : { message: error === undefined ? fields.message : typeof error === 'string' ? error : String(error) };
  if (nested.stack === undefined && stack !== undefined) nested.stack = Array.isArray(stack) ? stack : stackFrames(String(stack));
  out.error = nested;
  return out;
}
