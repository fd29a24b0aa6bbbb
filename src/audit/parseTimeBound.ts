/**
 * A command-line time bound: epoch milliseconds (`1710513000123`), an ISO-8601 date-time with a
 * zone (`2024-03-15T14:30:00.123Z`, `...+01:00`), or a UTC date (`2024-03-15`), which as `--to`
 * means the end of that day, so `--from D --to D` is the whole day. Returns undefined if unreadable.
 */
export function parseTimeBound(text: string, side: 'from' | 'to'): number | undefined {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const [, year, month, day] = date.map(Number) as [number, number, number, number];
    const start = Date.UTC(year, month - 1, day);
    // Date.UTC rolls 2024-02-30 over to March; a day that does not exist is unreadable.
    if (new Date(start).getUTCDate() !== day || new Date(start).getUTCMonth() !== month - 1) return undefined;
    return side === 'from' ? start : start + 86_400_000 - 1;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || ms < 0 ? undefined : ms;
}
