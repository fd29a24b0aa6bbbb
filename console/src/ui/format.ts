/** How the console writes numbers, times and state values. */

export const dash = '—';

export function num(value: number | null | undefined, digits?: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return dash;
  return digits === undefined ? value.toLocaleString('en-US', { maximumFractionDigits: 6 }) : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function time(iso: string | null | undefined): string {
  if (!iso) return dash;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(11, 23);
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return dash;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)}Z`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms < 0) return dash;
  if (ms < 1_000) return ms === 0 ? '0s' : `${Math.round(ms)} ms`;
  const seconds = Math.floor(ms / 1_000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** A state value as text: `working`, `connected.{health.healthy, heartbeat.idle}`. */
export function stateValue(value: unknown): string {
  if (value === null || value === undefined) return dash;
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  const entries = Object.entries(value as Record<string, unknown>).map(([key, inner]) => {
    const rest = stateValue(inner);
    return inner && typeof inner === 'object' && Object.keys(inner).length === 0 ? key : `${key}.${rest}`;
  });
  return entries.length === 1 ? (entries[0] ?? dash) : `{${entries.join(', ')}}`;
}
