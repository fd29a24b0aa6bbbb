import type { AuditRecord } from './auditRecord';

/**
 * The canonical form a hash chain hashes: JSON with object keys sorted by UTF-16 code units at
 * every depth, no whitespace, array order kept, keys whose value is `undefined` left out. Numbers
 * and strings are written as `JSON.stringify` writes them, which makes this RFC 8785 (JCS) for the
 * values records can hold. The stream id is storage, not content, so it is not part of it.
 */
export function canonicalSerialise(record: AuditRecord): string {
  return canonicalJson(record);
}

/** Canonical JSON of any JSON value; throws a TypeError naming the path of anything else. */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => (item === undefined ? 'null' : write(item, `${path}[${index}]`))).join(',')}]`;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    const members: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${write(member, `${path}.${key}`)}`);
    }
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`${path}: a ${value === undefined ? 'undefined' : typeof value === 'object' ? value.constructor?.name ?? 'object' : typeof value} has no canonical JSON form`);
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
