import { parsePayload } from '../../queues/parsePayload.ts';
import { z } from 'zod';
import type { ReportRequest } from '../reportTypes.ts';
import { oneOfError } from '../../shared/zodIssues.ts';
import { JURISDICTIONS } from './jurisdictions.ts';
import { isIsoDay } from '../../shared/calendarDays.ts';

export const REPORTS_QUEUE_NAME = 'reports';

/** The data of a job on the BullMQ `reports` queue: a ReportRequest, checked before anything renders. */
export const reportJobSchema = z.strictObject({
  jurisdiction: z.enum(JURISDICTIONS, { error: oneOfError(`must be one of ${JURISDICTIONS.join(', ')}`) }),
  type: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a report type name (letters, digits, _ . -; at most 64)'),
  reportDate: z.string().refine(isIsoDay, 'must be a calendar date YYYY-MM-DD'),
  deadline: z.iso.datetime({ error: (issue) => (issue.input === undefined ? undefined : 'must be an ISO-8601 UTC timestamp, e.g. 2025-03-04T14:00:00Z') }),
  params: z.record(z.string(), z.unknown()).optional(),
});

export type ReportJobParseResult = { ok: true; request: ReportRequest } | { ok: false; errors: string[] };

/**
 * Validates a job's data. Never throws: whatever a producer put on the queue (including values
 * with throwing getters) comes back as `field: problem` lines.
 */
export function parseReportJob(data: unknown): ReportJobParseResult {
  const parsed = parsePayload(reportJobSchema, data, 'report job');
  if (!parsed.ok) return parsed;
  const { params, ...rest } = parsed.value;
  return { ok: true, request: { ...rest, ...(params ? { params } : {}) } };
}
