/** What the cache remembers for a key: the loaded value, or the failure to load it. */
export type CacheEntry<T> = { ok: true; value: T } | { ok: false; message: string };

/** Bumped when the stored shape changes, so an old entry reads as a miss rather than as garbage. */
const FORMAT = 1;

export function encodeEntry<T>(entry: CacheEntry<T>): string {
  return JSON.stringify({ format: FORMAT, ...entry });
}

/** `undefined` for anything this version did not write. */
export function decodeEntry<T>(text: string): CacheEntry<T> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const record = parsed as Record<string, unknown>;
  if (record.format !== FORMAT) return undefined;
  if (record.ok === true) return { ok: true, value: record.value as T };
  if (record.ok === false && typeof record.message === 'string') return { ok: false, message: record.message };
  return undefined;
}
