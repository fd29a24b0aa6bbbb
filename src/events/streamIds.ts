/**
 * Redis Stream ids (`<ms>-<seq>`) as the event stream uses them: compared without parsing, since
 * every id here is canonical (Redis writes none with leading zeros, and a client's is made so on
 * the way in), so the longer number is the larger and equal lengths compare as text.
 */

/** The id before any entry: the `prev` of a stream's first entry. */
export const STREAM_START = '0-0';

const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;

/** A client's id in canonical form (`0012-03` → `12-3`), or null when it is not a stream id. */
export function canonicalStreamId(text: string): string | null {
  const match = STREAM_ID.exec(text);
  if (!match) return null;
  const ms = BigInt(match[1]!);
  const seq = BigInt(match[2]!);
  if (ms > 0xffffffffffffffffn || seq > 0xffffffffffffffffn) return null;
  return `${ms}-${seq}`;
}

function compareNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareStreamIds(a: string, b: string): number {
  const dashA = a.indexOf('-');
  const dashB = b.indexOf('-');
  return compareNumbers(a.slice(0, dashA), b.slice(0, dashB)) || compareNumbers(a.slice(dashA + 1), b.slice(dashB + 1));
}
