const SECRET_KEY = /token|secret|password|passwd|authorization|api[-_]?key|credential/i;
export const REDACTED = '[redacted]';

/** Returns a copy of `value` with every secret-looking key's value replaced. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    // A flag (`readTokenConfigured: true`) says whether a secret exists, not what it is.
    out[key] = SECRET_KEY.test(key) && inner !== undefined && inner !== null && inner !== '' && typeof inner !== 'boolean'
      ? REDACTED
      : redactSecrets(inner, depth + 1);
  }
  return out;
}
