// Hand-made, not luxon: it runs once per CSV row, and DateTime.fromISO measured ~20 µs a call against ~2.5 µs here.
const DATE_ONLY = /^(\d{4})-?(\d{2})-?(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const EPOCH = /^\d{9,13}$/;

/**
 * Epoch ms (UTC) of a CSV timestamp, or NaN. Accepts epoch milliseconds (11-13 digits) or seconds
 * (9-10 digits), a date (`2024-03-01` or `20240301`, taken as 00:00 UTC), or an ISO-8601 date-time
 * with `T` or a space; a date-time without `Z` or an offset is taken as UTC.
 */
export function parseCsvTimestamp(text: string): number {
  if (EPOCH.test(text)) return text.length >= 11 ? Number(text) : Number(text) * 1_000;
  const date = DATE_ONLY.exec(text);
  if (date) return utc(+date[1]!, +date[2]!, +date[3]!, 0, 0, 0, 0);
  const full = DATE_TIME.exec(text);
  if (!full) return Number.NaN;
  const fraction = full[7] ? Number(`0.${full[7]}`) * 1_000 : 0;
  const at = utc(+full[1]!, +full[2]!, +full[3]!, +full[4]!, +full[5]!, full[6] ? +full[6] : 0, fraction);
  return at - offsetMinutes(full[8]) * 60_000;
}

/** NaN unless every field is in range (Date.UTC would roll 2024-02-31 over to March). */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return Number.NaN;
  const at = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  return new Date(at).getUTCDate() === day ? at : Number.NaN;
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}
