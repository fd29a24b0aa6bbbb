const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const WHOLE = /^(?:\d+(?:ms|[wdhms]))+$/;
const PART = /(\d+)(ms|[wdhms])/g;

/**
 * Milliseconds of a duration written in units, largest first or not: `7d`, `12h`, `90s`, `250ms`,
 * `1h30m`, `2w` (m is minutes, ms milliseconds; units lowercase; surrounding spaces ignored).
 * Undefined for anything else: a bare number (7 what?), negative or fractional amounts, a total
 * past what a number holds exactly.
 */
export function parseDurationText(text: string): number | undefined {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) total += Number(amount) * (UNIT_MS[unit as string] as number);
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Why a duration was refused; fault errors prefix it with the field. */
export const DURATION_PROBLEM = 'must be a duration like 3d, 2h, 90s, 1h30m or a whole number of milliseconds';

/**
 * A duration (`parseDurationText`, units in any case) or a whole number of milliseconds (a number
 * or digits): what the simulator's `clock.advance` takes as `by`. Undefined for anything else.
 */
export function parseDurationMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const text = value.trim().toLowerCase();
  return /^\d+$/.test(text) ? parseDurationMs(Number(text)) : parseDurationText(text);
}
