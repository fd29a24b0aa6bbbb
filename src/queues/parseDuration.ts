const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION = /^(\d+)(ms|s|m|h|d|w)$/;

export class InvalidDurationError extends Error {
  override readonly name = 'InvalidDurationError';

  constructor(readonly input: string) {
    super(`invalid duration ${JSON.stringify(input)}; expected a whole number and a unit (ms, s, m, h, d, w), e.g. 30m, 12h, 7d`);
  }
}

/** `7d`, `12h`, `30m`, `45s`, `500ms`, `2w` → milliseconds. Anything else throws InvalidDurationError. */
export function parseDuration(input: string): number {
  const match = DURATION.exec(input.trim());
  const amount = match?.[1];
  const unit = match?.[2];
  if (amount === undefined || unit === undefined) throw new InvalidDurationError(input);
  const ms = Number(amount) * (UNIT_MS[unit] ?? Number.NaN);
  if (!Number.isSafeInteger(ms)) throw new InvalidDurationError(input);
  return ms;
}
