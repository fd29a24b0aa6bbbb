import ms, { type StringValue } from 'ms';

// The grammar stays the documented one (a whole number and a short unit); `ms` does the arithmetic.
const DURATION = /^\d+(ms|s|m|h|d|w)$/;

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

/** `7d`, `12h`, `30m`, `45s`, `500ms`, `2w` → milliseconds. Anything else throws InvalidDurationError. */
export function parseDuration(input: string, field?: string): number {
  const text = input.trim();
  const value = DURATION.test(text) ? ms(text as StringValue) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new InvalidDurationError(input, field);
  return value;
}
