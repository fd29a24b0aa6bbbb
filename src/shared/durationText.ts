/** Why a duration was refused; fault errors prefix it with the field. */
export const DURATION_PROBLEM = 'must be a duration like 3d, 2h, 90s, 1h30m or a whole number of milliseconds';

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const WHOLE = /^(?:\d+(?:ms|[wdhms]))+$/;
const PART = /(\d+)(ms|[wdhms])/g;

/**
 * Milliseconds of a duration: a whole number of ms (number or digits), or units written largest
 * first or not, `3d`, `2h`, `90s`, `250ms`, `1h30m` (m is minutes). Undefined for anything else,
 * negative or fractional amounts included.
 */
export function parseDurationMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const text = value.trim().toLowerCase();
  if (/^\d+$/.test(text)) return parseDurationMs(Number(text));
  if (!WHOLE.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * (UNIT_MS[unit as string] as number);
  return Number.isSafeInteger(total) ? total : undefined;
}
