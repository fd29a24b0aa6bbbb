import { createHash } from 'node:crypto';
import type { ReportRequest } from '../reportTypes.ts';

/**
 * A BullMQ job id that is a pure function of the request: the same request enqueued twice is one
 * job. Key order in `params` does not matter. BullMQ forbids ':' and integer-looking custom ids.
 */
export function reportJobId(request: ReportRequest): string {
  const digest = createHash('sha256').update(stableJson(request)).digest('base64url').slice(0, 32);
  return `report.${request.jurisdiction}.${digest}`;
}

/** JSON with object keys sorted at every depth; undefined values are dropped as JSON.stringify does. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => stableJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, inner]) => inner !== undefined && typeof inner !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableJson(inner)}`).join(',')}}`;
}
