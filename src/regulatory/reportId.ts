import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A report's id: `<jurisdiction>-<type>-<reportDate>-<first 20 hex of sha256(jurisdiction|type|format|reportDate|content)>`,
 * lower case. `content` is the canonical report content without anything that varies between
 * renders (such as the file creation time), so replaying a request yields the same id and the
 * pipeline can refuse to file it twice; different content on the same day yields a different id.
 */
export function reportIdOf(parts: { jurisdiction: string; type: string; format: string; reportDate: string; content: string }): string {
  const digest = sha256Hex([parts.jurisdiction, parts.type, parts.format, parts.reportDate, parts.content].join('|')).slice(0, 20);
  return `${parts.jurisdiction}-${parts.type}-${parts.reportDate}-${digest}`.toLowerCase().replaceAll('_', '-');
}
