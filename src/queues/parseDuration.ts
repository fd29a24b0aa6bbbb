import { parseDurationText } from '../shared/durationText.ts';

export class InvalidDurationError extends Error {
  override readonly name = 'InvalidDurationError';

  constructor(
    readonly input: string,
    /** The option or field it came from, e.g. `--older-than`, named first in the message. */
    readonly field?: string,
  ) {
    super(`${field ? `${field}: ` : ''}invalid duration ${JSON.stringify(input)}; expected a whole number and a unit (ms, s, m, h, d, w), e.g. 30m, 12h, 7d`);
  }
}

/** `7d`, `12h`, `30m`, `45s`, `500ms`, `2w` (shared `parseDurationText`) → milliseconds. Anything else throws InvalidDurationError. */
export function parseDuration(input: string, field?: string): number {
  const value = parseDurationText(input);
  if (value === undefined) throw new InvalidDurationError(input, field);
  return value;
}
