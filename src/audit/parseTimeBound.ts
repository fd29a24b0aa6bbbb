import { DateTime } from 'luxon';

const EPOCH_MS = /^\d{1,15}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A command-line time bound: epoch milliseconds (`1710513000123`), an ISO-8601 date-time with a
 * zone (`2024-03-15T14:30:00.123Z`, `...+01:00`), or a UTC date (`2024-03-15`), which as `--to`
 * means the end of that day, so `--from D --to D` is the whole day. Returns undefined if unreadable.
 */
export function parseTimeBound(text: string, side: 'from' | 'to'): number | undefined {
  if (EPOCH_MS.test(text)) return Number(text);
  if (DAY.test(text)) {
    const day = DateTime.fromISO(text, { zone: 'utc' });
    if (!day.isValid) return undefined;
    return (side === 'from' ? day : day.endOf('day')).toMillis();
  }
  if (!DATE_TIME_WITH_ZONE.test(text)) return undefined;
  const at = DateTime.fromISO(text, { setZone: true });
  return at.isValid && at.toMillis() >= 0 ? at.toMillis() : undefined;
}
