import type { z } from 'zod';

// zod issues as the product reports them: one line per field, `<path>: <problem>`. The path is
// the contract (API errors name the field, config errors name the key).

/**
 * Per-parse error map: zod's defaults ("Invalid input: expected string, received undefined") do
 * not say "this field is missing", which is the most common mistake in a hand-written job.
 */
export const issueMessages: z.core.$ZodErrorMap = (issue) => {
  if (issue.input === undefined && issue.code !== 'custom') return 'required';
  if (issue.code === 'invalid_type') {
    return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
  }
  return undefined;
};

/**
 * For a union's own `error`: a value that is not an object at all gets the plain type message,
 * only an object with the wrong discriminator gets `message`.
 */
export function unionError(message: string) {
  return (issue: { code?: string; input?: unknown; discriminator?: string }): string | undefined => {
    if (issue.code === 'invalid_type' || issue.input === undefined) return undefined;
    const { input, discriminator } = issue;
    if (discriminator !== undefined && typeof input === 'object' && input !== null && (input as Record<string, unknown>)[discriminator] === undefined) {
      return 'required';
    }
    return message;
  };
}

/** For an enum's own `error`: "required" when missing, `message` when it is not one of the values. */
export function oneOfError(message: string) {
  return (issue: { input?: unknown }): string | undefined => (issue.input === undefined ? undefined : message);
}

/** One problem at one place: an unknown-keys issue becomes one problem per unknown key. */
export interface FieldProblem {
  path: PropertyKey[];
  message: string;
  unknownKey: boolean;
}

export function fieldProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.flatMap((issue): FieldProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: issue.message, unknownKey: true }))
      : [{ path: [...issue.path], message: issue.message, unknownKey: false }],
  );
}

/**
 * How a path is written. `indexed` (order jobs and the audit and queue inputs): `legs[0].symbol`,
 * a name that is not a plain one as `["a b"]`. `dotted` (config keys, API bodies, events, report
 * content): `marketData.sources.0.speed`. Which one a message uses is part of its contract.
 */
export type PathStyle = 'indexed' | 'dotted';

export interface IssueFormat {
  style?: PathStyle;
  /** What an issue about the whole value is called (`(root)`, `body`, `event`). */
  root?: string;
  /** The key the value sits under, put in front of every path (`marketData`, `reports`). */
  under?: string;
  /** The problem an unknown key is reported with. */
  unknownKey?: string;
}

/** `algorithm.kind`; `(root)` for the value itself (or `format.root`). */
export function formatPath(path: readonly PropertyKey[], format: Pick<IssueFormat, 'style' | 'root' | 'under'> = {}): string {
  const written = format.style === 'dotted' ? path.map(String).join('.') : indexedPath(path);
  if (format.under !== undefined) return written === '' ? format.under : `${format.under}${written.startsWith('[') ? '' : '.'}${written}`;
  return written === '' ? (format.root ?? '(root)') : written;
}

/** One line per problem, `<path>: <problem>`: `instrument.expiry: must be YYYYMM or YYYYMMDD`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], format: IssueFormat = {}): string[] {
  return fieldProblems(issues).map(({ path, message, unknownKey }) => `${formatPath(path, format)}: ${unknownKey ? (format.unknownKey ?? 'unknown field') : message}`);
}

function indexedPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const name = typeof segment === 'symbol' ? segment.toString() : segment;
      if (/^[A-Za-z_$][\w$]*$/.test(name)) return index === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join('');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return value.length > 40 ? 'a string' : JSON.stringify(value);
  return typeof value;
}
