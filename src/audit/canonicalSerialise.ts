import type { AuditRecord } from './auditRecord.ts';

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
  try {
    return writeFast(value);
  } catch (error) {
    if (error !== NO_JSON_FORM) throw error;
    // Only now is the path worth its cost: the careful walk finds it and names it.
    return write(value, '$');
  }
}

const NO_JSON_FORM = new TypeError('no canonical JSON form');

/**
 * The same output as `write`, minus building a path string at every member (it is on every audit
 * append's path, and the paths were most of its cost). Throws NO_JSON_FORM where `write` would throw.
 */
function writeFast(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw NO_JSON_FORM;
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      out += (index === 0 ? '' : ',') + (item === undefined ? 'null' : writeFast(item));
    }
    return `${out}]`;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    let out = '{';
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + writeFast(member);
    }
    return `${out}}`;
  }
  throw NO_JSON_FORM;
}

function write(value: unknown, path: string): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    // Indexed, not map: a hole in a sparse array is written as null, as writeFast does.
    return `[${Array.from(value, (item: unknown, index) => (item === undefined ? 'null' : write(item, `${path}[${index}]`))).join(',')}]`;
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
