/**
 * How ioredis (and BullMQ over it) fail while Redis is down, restarting or refusing us: the
 * connection closed, the offline queue off, retries per request used up, a socket error, or a
 * server still loading its data. Matched on messages because ioredis reports most of these as
 * plain Errors.
 */
const REDIS_DOWN = new RegExp(
  [
    'Connection is closed',
    "Stream isn't writeable",
    'enableOfflineQueue',
    'max retries per request',
    'Command timed out',
    'connect ETIMEDOUT',
    '^LOADING ',
    '^MASTERDOWN ',
    '^CLUSTERDOWN ',
    '^NOAUTH ',
    '^WRONGPASS ',
  ].join('|'),
  'i',
);

// The admin routes do no network I/O but Redis (BullMQ queues, the order store), so a socket error there is Redis's.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

const MAX_DEPTH = 5;

/** True when the error, its cause, or one of an AggregateError's errors says Redis cannot be used now. */
export function isRedisUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > MAX_DEPTH) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  if (REDIS_DOWN.test(error.message)) return true;
  const nested = [(error as { cause?: unknown }).cause, ...(error instanceof AggregateError ? error.errors : [])];
  return nested.some((inner) => isRedisUnavailable(inner, depth + 1));
}
