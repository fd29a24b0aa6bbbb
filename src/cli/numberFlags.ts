import { InvalidArgumentError } from 'commander';
import { EXIT_USAGE } from './cliDeps.ts';

/** A plain decimal (`5000`, `-1.25`, `4.5e3`); `Number()` alone would take '' as 0 and '0x10' as 16. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/**
 * commander argument parsers for number flags: a bad value stops the command before it does
 * anything, naming the flag (`--qty: expected a number, got "abc"`), with the usage exit code. The
 * text is kept as given: the action reads it as before, and its own checks (range, whole
 * contracts) still name the field.
 */
export function decimalFlag(flag: string): (value: string) => string {
  return (value) => {
    if (!DECIMAL.test(value.trim()) || !Number.isFinite(Number(value))) throw usageError(`${flag}: expected a number, got ${JSON.stringify(value)}`);
    return value;
  };
}

export function integerFlag(flag: string): (value: string) => string {
  return (value) => {
    if (!INTEGER.test(value.trim()) || !Number.isSafeInteger(Number(value))) throw usageError(`${flag}: expected a whole number, got ${JSON.stringify(value)}`);
    return value;
  };
}

function usageError(message: string): InvalidArgumentError {
  const error = new InvalidArgumentError(message);
  error.exitCode = EXIT_USAGE;
  return error;
}
