import { RELATIVE_KEY_DEFAULTS } from '../../redis/namespaceKeys.ts';
import { z } from 'zod';
import { formatIssues } from '../../shared/zodIssues.ts';

const wallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a wall-clock time HH:MM (24-hour)');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. America/Chicago');

/**
 * The `regulatoryMonitor` config block: the reportable-level monitor and its day close. A block of
 * its own (beside `regulatory`, which says what is reported) because it says when and where the
 * runtime keeps positions; absent means the monitor is off.
 */
export const regulatoryMonitorConfigSchema = z.strictObject({
  enabled: z.boolean(),
  /** When the trading day closes and its positions become the close-of-day positions (15.00(p): "at the close of the market"). */
  closeTime: wallTime,
  closeTimeZone: timeZone,
  /**
   * When the day's large trader file is due: the next business day at this time. 9:00 Eastern is
   * the time 17 CFR 17.02 sets for the daily position data (check it against the current text
   * before relying on it; the queue prioritises by it, it does not enforce it).
   */
  deadlineTime: wallTime,
  deadlineTimeZone: timeZone,
  /** Key prefix of the close-of-day positions in Redis, relative to the namespace (`<namespace>:<keyPrefix>`). */
  keyPrefix: z.string().min(1).regex(/^\S+$/, 'must not contain whitespace'),
  /** Wait before asking the broker again after a failed position snapshot. */
  seedRetryMs: z.number().int().min(1),
  /** Wait before trying a failed day close (Redis write or enqueue) again. */
  closeRetryMs: z.number().int().min(1),
  /**
   * Tries per day close before it goes to `regulatory-close:dead` (a refused close gets one).
   * Optional so configs written before it keep working.
   */
  closeAttempts: z.number().int().min(1).max(100).default(5),
});

export type RegulatoryMonitorConfig = z.output<typeof regulatoryMonitorConfigSchema>;

export const DEFAULT_REGULATORY_MONITOR_CONFIG: RegulatoryMonitorConfig = {
  enabled: true,
  closeTime: '17:00',
  closeTimeZone: 'America/Chicago',
  deadlineTime: '09:00',
  deadlineTimeZone: 'America/New_York',
  keyPrefix: RELATIVE_KEY_DEFAULTS.regulatoryPositions,
  seedRetryMs: 5_000,
  closeRetryMs: 30_000,
  closeAttempts: 5,
};

/** The block, validated; null when absent. Problems name the key, as the other config blocks do. */
export function regulatoryMonitorConfigOf(value: unknown): RegulatoryMonitorConfig | null {
  if (value === undefined) return null;
  const parsed = regulatoryMonitorConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = formatIssues(parsed.error.issues, { style: 'dotted', under: 'regulatoryMonitor' });
  throw new Error(`invalid regulatoryMonitor configuration: ${problems.join('; ')}`);
}
