function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep-merges `top` over `base`; `undefined` in `top` leaves the base value alone (unset CLI flags). */
export function mergeConfig(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    if (value === undefined) continue;
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? mergeConfig(existing, value) : value;
  }
  return out;
}

/** Dotted paths of every leaf value, so the final check can say which source set each one. */
export function leafPaths(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, inner]) => {
    if (inner === undefined) return [];
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return isPlainObject(inner) ? [path, ...leafPaths(inner, path)] : [path];
  });
}
