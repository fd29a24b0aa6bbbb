import { DateTime } from 'luxon';

/**
 * A date-time as TWS requests carry it (reqHistoricalData's end, ExecutionFilter.time):
 * `yyyyMMdd-HH:mm:ss` (UTC), or `yyyyMMdd HH:mm:ss` with an optional zone (`US/Eastern`, `UTC`),
 * which IB honours; without one the simulator reads UTC (TWS would use its login zone).
 * Undefined for anything else, an unknown zone included.
 */
export function parseTwsDateTime(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(-)|\s+)(\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/.exec(text.trim());
  if (!m) return undefined;
  if (m[4] === '-' && m[8] !== undefined) return undefined;
  const zone = m[8] ?? 'UTC';
  const at = DateTime.fromObject(
    { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[5]), minute: Number(m[6]), second: Number(m[7]) },
    { zone },
  );
  return at.isValid ? at.toMillis() : undefined;
}
