import type { z } from 'zod';

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

/** `instrument.expiry: must be YYYYMM or YYYYMMDD`; unknown keys get one line each. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`${formatPath([...issue.path, key])}: unknown field`);
    } else {
      lines.push(`${formatPath(issue.path)}: ${issue.message}`);
    }
  }
  return lines;
}

/** `algorithm.kind`; keys that are not plain names (unknown fields can be anything) as `["a b"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
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
